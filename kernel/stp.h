/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The spanning tree's part of the datapath (doc/stp.md): a port's state is
 * two bits of its value in "ports" (XBR_PORT_F_STP_NOFWD, _NOLEARN), read
 * from the value the programs have already loaded. A port that does not
 * forward takes in BPDUs only (for the daemon, through the control path)
 * and sends nothing; a learning port learns the sources of what it drops.
 */
#ifndef XBR_STP_H
#define XBR_STP_H

#include "parse.h"

/* 01:80:c2:00:00:00, the bridge group address that BPDUs are sent to. */
static __always_inline int stp_is_bpdu(const __u8 *dmac)
{
	return dmac[0] == 0x01 && dmac[1] == 0x80 && dmac[2] == 0xc2 &&
	       dmac[3] == 0 && dmac[4] == 0 && dmac[5] == 0;
}

/* The port learns: configured to, and not discarding. */
static __always_inline int stp_learns(const struct xbr_port *port)
{
	return (port->flags & (XBR_PORT_F_LEARN | XBR_PORT_F_STP_NOLEARN)) ==
	       XBR_PORT_F_LEARN;
}

/* The port forwards nothing, in or out (learning or discarding). */
static __always_inline int stp_blocked(const struct xbr_port *port)
{
	return port->flags & XBR_PORT_F_STP_NOFWD;
}

#endif /* XBR_STP_H */
