// SPDX-License-Identifier: GPL-2.0-only
/*
 * Opening a pinned bridge of another build (doc/datapath.md, "Versions"):
 * maps whose layout or meaning this build keeps are reused; maps of an
 * older layout are migrated (a new map, every entry converted and copied,
 * the new map pinned in the old one's place) while the old programs keep
 * forwarding on the old maps; the caller then swaps the programs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "datapath/dp_priv.h"
#include "lib/log.h"

/* Pieces of an old value and where they go in the new one. */
struct piece {
	__u32 from, to, len;
};

/*
 * A map whose layout or meaning changed in version `since`: a pinned
 * bridge of an older version gets a new one. pieces (ending with len 0)
 * say how an old value becomes a new one, the rest zero; none: the
 * entries are not copied but made again (devmaps holding a program).
 */
struct map_rule {
	const char *name;
	__u32 since;
	__u32 old_value_size; /* of the version before since */
	struct piece pieces[4];
};

static const struct map_rule rules[] = {
	/* v2: reserved room at the end */
	{ XBR_MAP_PORTS, 2, 16, { { 0, 0, 16 } } },
	{ XBR_MAP_CONFIG, 2, 16, { { 0, 0, 8 } } },
	/* v2: 16 counters, then 32 drop slots (v1: 9, then 12 reasons) */
	{ XBR_MAP_STATS, 2, 9 * 8 + 12 * 8, { { 0, 0, 72 }, { 72, 128, 96 } } },
	/* v2: the ingress program leaves every frame as it came and the
	 * egress program, now on both devmaps, makes it what its port
	 * sends; a frame of one version must never meet the other's
	 * program: new devmaps, used by the new programs only */
	{ XBR_MAP_FLOOD_PORTS, 2, 0, { { 0 } } },
	{ XBR_MAP_TX_PORTS, 2, 0, { { 0 } } },
};

static const struct map_rule *rule_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].name, name))
			return &rules[i];
	return NULL;
}

static int map_info(int fd, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(fd, info, &len) ? -errno : 0;
}

/* The layout version of the maps pinned under br->dir. */
static int pinned_version(struct dp_bridge *br, __u32 *version)
{
	struct xbr_bridge_cfg cfg;
	struct bpf_map_info info;
	char path[PATH_MAX];
	__u32 zero = 0;
	int fd, err;

	snprintf(path, sizeof(path), "%s/%s", br->dir, XBR_MAP_CONFIG);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return dp_fail(-errno, "cannot open %s: %s", path,
			       strerror(errno));
	err = map_info(fd, &info);
	if (!err && info.value_size < sizeof(cfg))
		*version = 1; /* no version recorded */
	else if (!err && bpf_map_lookup_elem(fd, &zero, &cfg))
		err = -errno;
	else if (!err)
		*version = cfg.version ? cfg.version : 1;
	close(fd);
	if (err)
		return dp_fail(err, "cannot read %s: %s", path, strerror(-err));
	return 0;
}

int dp_migrate_prepare(struct dp_bridge *br)
{
	const struct map_rule *rule;
	struct bpf_map_info info;
	char path[PATH_MAX];
	struct bpf_map *map;
	int fd, err;

	err = pinned_version(br, &br->pinned_version);
	if (err)
		return err;
	if (br->pinned_version > XBR_ABI_VERSION)
		return dp_fail(
			-EPROTO,
			"bridge %s was made by a newer xbr (layout version %u; this build knows up to %u)",
			br->name, br->pinned_version, XBR_ABI_VERSION);

	bpf_object__for_each_map (map, br->skel->obj) {
		if (dp_map_private(br, map))
			continue;
		snprintf(path, sizeof(path), "%s/%s", br->dir,
			 bpf_map__name(map));
		fd = bpf_obj_get(path);
		if (fd < 0) {
			if (errno == ENOENT)
				continue; /* new in this build: created */
			return dp_fail(-errno, "cannot open %s: %s", path,
				       strerror(errno));
		}
		err = map_info(fd, &info);
		if (err) {
			close(fd);
			return dp_fail(err, "cannot read %s: %s", path,
				       strerror(-err));
		}
		rule = rule_of(bpf_map__name(map));
		if (rule && br->pinned_version < rule->since) {
			if (info.type != bpf_map__type(map) ||
			    (rule->old_value_size &&
			     info.value_size != rule->old_value_size)) {
				close(fd);
				return dp_fail(
					-EINVAL,
					"%s has a layout that layout version %u never had",
					path, br->pinned_version);
			}
			if (br->nr_migrated == DP_MIGRATE_MAX) {
				close(fd);
				return dp_fail(-E2BIG,
					       "too many maps to migrate");
			}
			br->migrated[br->nr_migrated].map = map;
			br->migrated[br->nr_migrated].old_fd = fd;
			br->migrated[br->nr_migrated].rule = rule;
			br->nr_migrated++;
			continue;
		}
		/* libbpf's own reuse compares map flags, and the kernel adds
		 * flags of its own to a devmap: compare the layout here */
		if (info.type != bpf_map__type(map) ||
		    info.key_size != bpf_map__key_size(map) ||
		    info.value_size != bpf_map__value_size(map)) {
			close(fd);
			return dp_fail(
				-EINVAL,
				"%s has another layout than version %u of this build expects",
				path, br->pinned_version);
		}
		err = bpf_map__reuse_fd(map, fd);
		close(fd);
		if (err)
			return dp_fail(err, "cannot reuse %s: %s", path,
				       strerror(-err));
	}
	return 0;
}

static void convert(const struct map_rule *rule, const __u8 *old,
		    __u32 old_size, __u8 *new, __u32 new_size)
{
	const struct piece *p;

	memset(new, 0, new_size);
	for (p = rule->pieces; p->len; p++)
		if (p->from + p->len <= old_size && p->to + p->len <= new_size)
			memcpy(new + p->to, old + p->from, p->len);
}

/* Every entry of an old array into the new one, converted (per CPU). */
static int copy_array(struct dp_bridge *br, const struct dp_migrated *m)
{
	bool percpu = bpf_map__type(m->map) == BPF_MAP_TYPE_PERCPU_ARRAY;
	__u32 ncpu = percpu ? (__u32)br->nr_cpus : 1, cpu, key;
	__u32 new_size = bpf_map__value_size(m->map), old_size;
	int new_fd = bpf_map__fd(m->map), err = 0;
	struct bpf_map_info info;
	size_t old_stride, new_stride;
	__u8 *old, *new;

	err = map_info(m->old_fd, &info);
	if (err)
		return err;
	old_size = info.value_size;
	/* per-CPU values are copied to and from userspace 8-byte aligned */
	old_stride = percpu ? (old_size + 7) & ~7U : old_size;
	new_stride = percpu ? (new_size + 7) & ~7U : new_size;
	old = calloc(ncpu, old_stride);
	new = calloc(ncpu, new_stride);
	if (!old || !new) {
		err = -ENOMEM;
		goto out;
	}
	for (key = 0;
	     key < info.max_entries && key < bpf_map__max_entries(m->map);
	     key++) {
		if (bpf_map_lookup_elem(m->old_fd, &key, old)) {
			err = -errno;
			break;
		}
		for (cpu = 0; cpu < ncpu; cpu++)
			convert(m->rule, old + cpu * old_stride, old_size,
				new + cpu *new_stride, new_size);
		if (bpf_map_update_elem(new_fd, &key, new, BPF_ANY)) {
			err = -errno;
			break;
		}
	}
out:
	free(old);
	free(new);
	return err;
}

/* A devmap made again: the same ports, this build's egress program. */
static int copy_devmap(struct dp_bridge *br, const struct dp_migrated *m)
{
	struct bpf_devmap_val v = {
		.bpf_prog.fd = bpf_program__fd(br->skel->progs.xbr_egress),
	};
	__u32 key, next, *prev = NULL;

	while (!bpf_map_get_next_key(m->old_fd, prev, &next)) {
		key = next;
		prev = &key;
		v.ifindex = key;
		if (bpf_map_update_elem(bpf_map__fd(m->map), &key, &v, BPF_ANY))
			return -errno;
	}
	return errno == ENOENT ? 0 : -errno;
}

int dp_migrate_copy(struct dp_bridge *br)
{
	const struct dp_migrated *m;
	int i, err;

	for (i = 0; i < br->nr_migrated; i++) {
		m = &br->migrated[i];
		err = bpf_map__type(m->map) == BPF_MAP_TYPE_DEVMAP_HASH
			      ? copy_devmap(br, m)
			      : copy_array(br, m);
		if (err)
			return dp_fail(err,
				       "cannot migrate %s of bridge %s: %s",
				       bpf_map__name(m->map), br->name,
				       strerror(-err));
	}
	return 0;
}

int dp_migrate_pin(struct dp_bridge *br)
{
	char path[PATH_MAX];
	int i, err;

	for (i = 0; i < br->nr_migrated; i++) {
		const struct bpf_map *map = br->migrated[i].map;

		snprintf(path, sizeof(path), "%s/%s", br->dir,
			 bpf_map__name(map));
		err = dp_pin_replace(path, bpf_map__fd(map));
		if (err)
			return dp_fail(err, "cannot pin %s: %s", path,
				       strerror(-err));
	}
	if (br->nr_migrated)
		log_info("bridge %s: maps of layout version %u migrated to %u",
			 br->name, br->pinned_version, XBR_ABI_VERSION);
	return 0;
}

void dp_migrate_done(struct dp_bridge *br)
{
	int i;

	for (i = 0; i < br->nr_migrated; i++)
		close(br->migrated[i].old_fd);
	br->nr_migrated = 0;
}
