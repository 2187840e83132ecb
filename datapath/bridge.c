// SPDX-License-Identifier: GPL-2.0-only
/* A bridge instance: load or re-open its pinned datapath, close, destroy. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/magic.h>

#include "datapath/dp_priv.h"
#include "lib/log.h"

static __thread char dp_errbuf[512];

const char *dp_error(void)
{
	return dp_errbuf;
}

int dp_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dp_errbuf, sizeof(dp_errbuf), fmt, ap);
	va_end(ap);
	log_debug("datapath: %s", dp_errbuf);
	return err;
}

__u64 dp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + (__u64)ts.tv_nsec;
}

void dp_link_path(struct dp_bridge *br, __u32 ifindex, char *buf, size_t len)
{
	snprintf(buf, len, "%s/links/%u", br->dir, ifindex);
}

const char *dp_bridge_name(const struct dp_bridge *br)
{
	return br->name;
}

__u32 dp_fdb_capacity(const struct dp_bridge *br)
{
	return bpf_map__max_entries(br->skel->maps.fdb);
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	char buf[1024];
	int prio = level == LIBBPF_WARN	  ? LOG_WARNING
		   : level == LIBBPF_INFO ? LOG_INFO
					  : LOG_DEBUG;
	size_t n;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	n = strlen(buf);
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	log_msg(prio, "%s", buf);
	return 0;
}

bool dp_bridge_name_valid(const char *name)
{
	size_t i, n = name ? strlen(name) : 0;

	if (!n || n > DP_BRIDGE_NAME_MAX || !isalpha((unsigned char)name[0]))
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("_-.", name[i]))
			return false;
	return true;
}

/* bpffs at /sys/fs/bpf, mounted if it is not. */
static int bpffs_ensure(const char *pin_root)
{
	struct statfs sfs;

	if (strncmp(pin_root, "/sys/fs/bpf", 11))
		return 0;
	if (statfs("/sys/fs/bpf", &sfs) == 0 && sfs.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") < 0)
		return dp_fail(-errno, "cannot mount bpffs at /sys/fs/bpf: %s",
			       strerror(errno));
	log_info("mounted bpffs at /sys/fs/bpf");
	return 0;
}

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int dp_root_claim(const char *pin_root)
{
	int fd, err;

	if (!pin_root)
		pin_root = DP_PIN_ROOT;
	err = bpffs_ensure(pin_root);
	if (err)
		return err;
	err = mkdir_p(pin_root);
	if (err)
		return dp_fail(err, "cannot make %s: %s", pin_root,
			       strerror(-err));
	/* left open for the life of the process: the lock goes with it */
	fd = open(pin_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return dp_fail(-errno, "cannot open %s: %s", pin_root,
			       strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		return dp_fail(err, "%s: %s", pin_root,
			       err == -EBUSY ? "another process manages it"
					     : strerror(-err));
	}
	return 0;
}

bool dp_bridge_exists(const char *name, const char *pin_root)
{
	char path[PATH_MAX];

	if (!dp_bridge_name_valid(name))
		return false;
	snprintf(path, sizeof(path), "%s/%s/%s",
		 pin_root ? pin_root : DP_PIN_ROOT, name, XBR_MAP_FDB);
	return access(path, F_OK) == 0;
}

int dp_pin_replace(const char *path, int fd)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s-new", path); /* bpffs: no dots */
	unlink(tmp);
	if (bpf_obj_pin(fd, tmp))
		return -errno;
	if (rename(tmp, path)) {
		int err = -errno;

		unlink(tmp);
		return err;
	}
	return 0;
}

bool dp_map_private(struct dp_bridge *br, const struct bpf_map *map)
{
	return bpf_map__is_internal(map) || map == br->skel->maps.fdb_cache;
}

/* Maps an older build pinned that this one no longer has. */
static const char *const retired_maps[] = {
	"trace", /* the decision of the last frame: now in the trace's
		  * metadata (kernel/trace.h) */
};

static void unpin_maps(struct dp_bridge *br)
{
	char path[PATH_MAX];
	struct bpf_map *map;
	size_t i;

	for (i = 0; i < sizeof(retired_maps) / sizeof(retired_maps[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", br->dir, retired_maps[i]);
		unlink(path);
	}

	bpf_object__for_each_map (map, br->skel->obj) {
		if (dp_map_private(br, map))
			continue;
		snprintf(path, sizeof(path), "%s/%s", br->dir,
			 bpf_map__name(map));
		unlink(path);
	}
}

/* Pin the maps this open created. */
static int pin_new_maps(struct dp_bridge *br)
{
	char path[PATH_MAX];
	struct bpf_map *map;
	int err;

	bpf_object__for_each_map (map, br->skel->obj) {
		if (dp_map_private(br, map))
			continue;
		snprintf(path, sizeof(path), "%s/%s", br->dir,
			 bpf_map__name(map));
		if (access(path, F_OK) == 0)
			continue;
		err = bpf_map__pin(map, path);
		if (err)
			return dp_fail(err, "cannot pin %s: %s", path,
				       strerror(-err));
	}
	return 0;
}

/*
 * The FDB cache (kernel/fdb_cache.h): a quarter of the FDB's capacity in
 * slots per CPU, a power of two from 2^12 (128 KiB) to 2^18 (8 MiB), and
 * no more than FDB_CACHE_MAX_BYTES for all CPUs together.
 * doc/performance.md has the measurements behind these bounds.
 */
#define FDB_CACHE_MIN_BITS  12
#define FDB_CACHE_MAX_BITS  18
#define FDB_CACHE_MAX_BYTES (64ULL << 20)

static int size_fdb_cache(struct dp_bridge *br)
{
	__u32 want = bpf_map__max_entries(br->skel->maps.fdb) / 4, bits;

	for (bits = FDB_CACHE_MIN_BITS;
	     bits < FDB_CACHE_MAX_BITS && (1U << bits) < want; bits++)
		;
	while (bits > FDB_CACHE_MIN_BITS &&
	       ((__u64)br->nr_cpus << bits) *
			       bpf_map__value_size(br->skel->maps.fdb_cache) >
		       FDB_CACHE_MAX_BYTES)
		bits--;
	br->skel->rodata->xbr_fdb_cache_bits = bits;
	return bpf_map__set_max_entries(br->skel->maps.fdb_cache,
					(__u32)br->nr_cpus << bits);
}

static __u32 map_id(const struct bpf_map *map)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(bpf_map__fd(map), &info, &len) ? 0
								     : info.id;
}

/* The pinned maps say which layout version they have, and the datapath
 * which maps are its devmaps. */
static int version_write(struct dp_bridge *br)
{
	struct xbr_bridge_cfg cfg;
	__u32 zero = 0;
	int fd = bpf_map__fd(br->skel->maps.bridge_cfg);

	if (!bpf_map_lookup_elem(fd, &zero, &cfg)) {
		cfg.version = XBR_ABI_VERSION;
		cfg.tx_ports_id = map_id(br->skel->maps.tx_ports);
		cfg.flood_ports_id = map_id(br->skel->maps.flood_ports);
		cfg.tx_direct_id = map_id(br->skel->maps.tx_direct);
		cfg.flood_defer_id = map_id(br->skel->maps.flood_defer);
		if (!bpf_map_update_elem(fd, &zero, &cfg, BPF_ANY))
			return 0;
	}
	return dp_fail(-errno, "cannot record the layout version: %s",
		       strerror(errno));
}

/* Every pinned port link follows the programs loaded now. */
static void relink_ports(struct dp_bridge *br)
{
	__u32 ifindexes[XBR_MAX_PORTS];
	int slot;

	if (dp_port_slots(br, ifindexes))
		return;
	for (slot = 0; slot < XBR_MAX_PORTS; slot++)
		if (ifindexes[slot])
			dp_port_relink(br, ifindexes[slot]);
}

struct dp_bridge *dp_bridge_open(const char *name,
				 const struct dp_bridge_opts *opts)
{
	const char *root = DP_PIN_ROOT;
	__u32 capacity = DP_DEFAULT_FDB_CAPACITY;
	struct dp_bridge *br;
	bool exists;
	int err;

	if (opts && opts->sz < sizeof(*opts)) {
		errno = -dp_fail(-EINVAL, "dp_bridge_opts: bad size");
		return NULL;
	}
	if (opts && opts->pin_root)
		root = opts->pin_root;
	if (opts && opts->fdb_capacity)
		capacity = opts->fdb_capacity;
	if (!dp_bridge_name_valid(name)) {
		errno = -dp_fail(
			-EINVAL,
			"invalid bridge name '%s': 1 to %d letters, digits, '_', '-' or '.', starting with a letter",
			name ? name : "", DP_BRIDGE_NAME_MAX);
		return NULL;
	}
	libbpf_set_print(libbpf_log);

	err = bpffs_ensure(root);
	if (err) {
		errno = -err;
		return NULL;
	}
	exists = dp_bridge_exists(name, root);
	if (!exists && !(opts && opts->create)) {
		errno = -dp_fail(-ENOENT, "no bridge named '%s'", name);
		return NULL;
	}

	br = calloc(1, sizeof(*br));
	if (!br) {
		errno = ENOMEM;
		return NULL;
	}
	snprintf(br->name, sizeof(br->name), "%s", name);
	snprintf(br->dir, sizeof(br->dir), "%s/%s", root, name);
	br->nr_cpus = libbpf_num_possible_cpus();
	if (br->nr_cpus < 0) {
		err = dp_fail(br->nr_cpus, "cannot count CPUs");
		goto err_free;
	}
	err = mkdir_p(br->dir);
	if (err) {
		dp_fail(err, "cannot create %s: %s", br->dir, strerror(-err));
		goto err_free;
	}

	br->skel = xbr__open();
	if (!br->skel) {
		err = dp_fail(-errno, "cannot open the BPF object: %s",
			      strerror(errno));
		goto err_rmdir;
	}
	err = bpf_map__set_max_entries(br->skel->maps.fdb, capacity);
	if (!err && exists)
		err = dp_migrate_prepare(br);
	if (!err)
		err = size_fdb_cache(br);
	if (!err)
		err = dp_direct_prepare(br);
	if (err)
		goto err_skel;
	err = xbr__load(br->skel);
	if (err) {
		dp_fail(err,
			"cannot load the datapath into the kernel: %s (run with debug logging for the verifier's word)",
			strerror(-err));
		goto err_skel;
	}
	/* The old programs forward on the old maps until relink_ports()
	 * moves every port to the new ones. */
	err = dp_migrate_copy(br);
	if (!err)
		err = version_write(br);
	if (!err)
		err = pin_new_maps(br);
	if (!err)
		err = dp_migrate_pin(br);
	if (err)
		goto err_unpin;

	br->state_len = (sizeof(struct xbr_port_state) * (XBR_MAX_PORTS + 1) +
			 (size_t)getpagesize() - 1) &
			~((size_t)getpagesize() - 1);
	br->state = mmap(NULL, br->state_len, PROT_READ | PROT_WRITE,
			 MAP_SHARED, bpf_map__fd(br->skel->maps.port_state), 0);
	if (br->state == MAP_FAILED) {
		br->state = NULL;
		err = dp_fail(-errno, "cannot map the port state: %s",
			      strerror(errno));
		goto err_unpin;
	}
	br->gen_len = (size_t)getpagesize();
	br->gen = mmap(NULL, br->gen_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       bpf_map__fd(br->skel->maps.fdb_gen), 0);
	if (br->gen == MAP_FAILED) {
		br->gen = NULL;
		err = dp_fail(-errno, "cannot map the FDB generation: %s",
			      strerror(errno));
		goto err_unmap;
	}
	/* Frames lost after the decision are counted by tracepoints; a
	 * bridge without them still forwards. Before the ports take this
	 * build's programs: they count what those send without the egress
	 * program. */
	if (dp_trace_link_ensure(br, br->skel->progs.xbr_redirect_err,
				 "redirect_err") ||
	    dp_trace_link_ensure(br, br->skel->progs.xbr_devmap_xmit,
				 "devmap_xmit")) {
		log_warn("bridge %s: %s", name, dp_error());
		br->direct_ok = false; /* they count what it sends */
	}
	/* without it, known unicast takes the egress program */
	if (dp_direct_open(br))
		log_info("bridge %s: %s", name, dp_error());
	if (exists) {
		relink_ports(br);
		if (dp_slowpath_upgrade(br))
			log_warn("bridge %s: %s", name, dp_error());
	}
	dp_migrate_done(br);
	log_debug("bridge %s %s (fdb capacity %u)", name,
		  exists ? "re-opened" : "created", dp_fdb_capacity(br));
	return br;

err_unmap:
	munmap(br->state, br->state_len);
err_unpin:
	if (!exists)
		unpin_maps(br);
err_skel:
	dp_migrate_done(br);
	xbr__destroy(br->skel);
err_rmdir:
	if (!exists)
		rmdir(br->dir);
err_free:
	free(br);
	errno = -err;
	return NULL;
}

void dp_bridge_close(struct dp_bridge *br)
{
	if (!br)
		return;
	dp_events_close(br);
	if (br->state)
		munmap(br->state, br->state_len);
	if (br->gen)
		munmap(br->gen, br->gen_len);
	xbr__destroy(br->skel);
	free(br);
}

int dp_bridge_destroy(struct dp_bridge *br)
{
	static const char *const trace_links[] = {
		"cpumap_drops", "redirect_err", "devmap_xmit", "poll_end",
		"defer_drops"
	};
	struct dp_port_info ports[XBR_MAX_PORTS];
	char path[PATH_MAX], *slash;
	int i, n, err = 0;

	n = dp_port_list(br, ports, XBR_MAX_PORTS);
	for (i = 0; i < n && i < XBR_MAX_PORTS; i++) {
		int e = dp_port_remove(br, (int)ports[i].ifindex);

		if (e && !err)
			err = e;
	}
	if (err) {
		dp_bridge_close(br);
		return err;
	}
	unpin_maps(br);
	for (i = 0; i < (int)(sizeof(trace_links) / sizeof(trace_links[0]));
	     i++) {
		snprintf(path, sizeof(path), "%s/links/%s", br->dir,
			 trace_links[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/links", br->dir);
	rmdir(path);
	if (rmdir(br->dir) < 0 && errno != ENOENT)
		err = dp_fail(-errno, "cannot remove %s: %s", br->dir,
			      strerror(errno));
	/* The pin root too, once its last bridge is gone. */
	snprintf(path, sizeof(path), "%s", br->dir);
	slash = strrchr(path, '/');
	if (slash && slash != path) {
		*slash = '\0';
		rmdir(path);
	}
	dp_bridge_close(br);
	return err;
}

int dp_bridge_get_config(struct dp_bridge *br, struct xbr_bridge_cfg *cfg)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(bpf_map__fd(br->skel->maps.bridge_cfg), &zero,
				cfg))
		return dp_fail(-errno, "cannot read the bridge settings: %s",
			       strerror(errno));
	return 0;
}

int dp_bridge_set_learn_limit(struct dp_bridge *br, __u32 limit)
{
	struct xbr_bridge_cfg cfg;
	__u32 zero = 0;
	int err;

	err = dp_bridge_get_config(br, &cfg);
	if (err)
		return err;
	cfg.learn_limit = limit;
	if (bpf_map_update_elem(bpf_map__fd(br->skel->maps.bridge_cfg), &zero,
				&cfg, BPF_ANY))
		return dp_fail(-errno, "cannot write the bridge settings: %s",
			       strerror(errno));
	return 0;
}

int dp_ingress_prog_fd(struct dp_bridge *br)
{
	return bpf_program__fd(br->skel->progs.xbr_ingress);
}

int dp_mac_parse(const char *s, __u8 mac[6])
{
	unsigned int b[6];
	char end;
	int i;

	if (!s ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &end) != 6 ||
	    strlen(s) != 17)
		return dp_fail(
			-EINVAL,
			"invalid MAC address '%s': want aa:bb:cc:dd:ee:ff",
			s ? s : "");
	for (i = 0; i < 6; i++)
		mac[i] = (__u8)b[i];
	return 0;
}

void dp_mac_format(const __u8 mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}
