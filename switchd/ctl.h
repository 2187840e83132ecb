/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef XBR_CTL_H
#define XBR_CTL_H

#include <stdbool.h>
#include <stdint.h>

/* Remove a socket left at path by a daemon that is gone; -EADDRINUSE
 * when a daemon answers there. */
int ctl_claim(const char *path);
/* Listen on path and add the socket to epfd; the fd or -errno. Out of
 * descriptors, accepting pauses (logged) and resumes by itself. */
int ctl_listen(const char *path, int epfd);
void ctl_accept(int lfd);
/* Serve an event on a session fd; false if fd is no session. */
bool ctl_handle(int fd, uint32_t events);
void ctl_close_all(void);
/* An event to the sessions that monitor its category. */
struct sw_event;
void ctl_monitor_event(const struct sw_event *e);

#endif /* XBR_CTL_H */
