/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A per-CPU, direct-mapped cache in front of the FDB hash: an array the
 * verifier inlines, indexed by a multiplicative hash of {mac, vid}.
 *
 * It never serves a stale answer. "fdb_gen" holds a generation number that
 * whoever changes an entry's port or flags, or removes an entry, bumps
 * after the change: the datapath on a move or a refused move, userspace
 * (datapath/fdb.c) after every delete, flush, age-out and static add. A
 * slot is valid only while the generation it was filled under is the
 * current one, and the generation is read once per frame, before any FDB
 * lookup of that frame: whatever a lookup then returns is at least as new
 * as that generation, so a slot filled from it is stale only once the
 * generation has moved on. New entries need no bump: only entries found in
 * the FDB are cached, never misses.
 *
 * doc/datapath.md has the rules; doc/performance.md what it wins.
 */
#ifndef XBR_FDB_CACHE_H
#define XBR_FDB_CACHE_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "xbr_abi.h"

/* 2^xbr_fdb_cache_bits slots of 32 bytes a CPU; userspace sets it before
 * load for the FDB's capacity (datapath/bridge.c). */
const volatile __u32 xbr_fdb_cache_bits = 12;

struct fdb_cache_slot {
	__u64 key;	 /* struct xbr_fdb_key as a number; vid >= 1, never 0 */
	__u64 gen;	 /* the generation it was filled under */
	__u64 seen;	 /* jiffies when the learn path saw the source on
			  * the entry's port; 0: not seen (a destination's
			  * fill) */
	__u32 ifindex;
	__u32 flags;
};

/*
 * A source seen on its port within this many jiffies needs no FDB lookup:
 * half a second at HZ 1000, 2 s at HZ 250, 5 s at HZ 100 (the kernel's HZ
 * is not asked: this is safe for any HZ from 100). The entry's last_seen
 * was refreshed at most XBR_FDB_REFRESH_NS before the slot was filled, so
 * an active source's entry is at most 6 s behind: inside the shortest
 * ageing time (10 s). jiffies because bpf_jiffies64() is inlined by the
 * verifier, where the nanosecond clock is a helper call on every frame.
 */
#define XBR_FDB_CACHE_FRESH_JIFFIES 500

/* One __u64: the generation. Pinned and mmaped by userspace. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, __u64);
} fdb_gen SEC(".maps") __weak;

/*
 * CPU c's slots are c << xbr_fdb_cache_bits onwards; userspace sizes the
 * map for the CPUs there are. A plain array, not a per-CPU one: its lookup is
 * one address computation, where a per-CPU array's first loads a pointer
 * per index (a second cache miss when the slots are many). Private to
 * the programs that use it (never pinned): a process that loads the
 * programs again starts with an empty cache. A CPU's slots are read and
 * filled by that CPU only, and XDP runs with bottom halves off, so a fill
 * never interleaves with a read. (BPF_PROG_RUN only disables migration:
 * two test runs on one CPU of a preemptible kernel could interleave.)
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << 12);
	__type(key, __u32);
	__type(value, struct fdb_cache_slot);
} fdb_cache SEC(".maps") __weak;

union fdb_key64 {
	struct xbr_fdb_key k;
	__u64 v;
};

/*
 * {mac, vid} as the number of union fdb_key64, built in a register: the
 * key written to the stack a field at a time and read back as one __u64
 * stalled the CPU (a load that no single store can forward to) twice per
 * frame. Only a miss writes the key to memory, as one __u64.
 */
static __always_inline __u64 fdb_key_num(const __u8 *mac, __u16 vid)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (__u64)*(const __u32 *)mac |
	       (__u64)*(const __u16 *)(mac + 4) << 32 | (__u64)vid << 48;
#else
	union fdb_key64 key = { .k.vid = vid };

	__builtin_memcpy(key.k.mac, mac, 6);
	return key.v;
#endif
}

/* The generation now; read once per frame, before the FDB lookups. */
static __always_inline __u64 fdb_gen_read(void)
{
	__u32 zero = 0;
	__u64 *g = bpf_map_lookup_elem(&fdb_gen, &zero);

	return g ? *(volatile __u64 *)g : 0;
}

/* After changing an entry's port or removing it: the frame goes on with
 * the generation that this bump made. */
static __always_inline void fdb_gen_bump(__u64 *gen)
{
	__u32 zero = 0;
	__u64 *g = bpf_map_lookup_elem(&fdb_gen, &zero);

	if (g)
		*gen = __sync_fetch_and_add(g, 1) + 1;
}

static __always_inline struct fdb_cache_slot *fdb_cache_slot(__u64 key)
{
	__u32 bits = xbr_fdb_cache_bits;
	__u32 i = (__u32)((key * 0x9e3779b97f4a7c15ULL) >> (64 - bits));

	i |= bpf_get_smp_processor_id() << bits;

	return bpf_map_lookup_elem(&fdb_cache, &i);
}

/* The slot holds key, filled under gen. */
static __always_inline int fdb_cache_hit(const struct fdb_cache_slot *s,
					 __u64 key, __u64 gen)
{
	return s && s->key == key && s->gen == gen;
}

/* seen: jiffies now when the learn path found the entry on the frame's
 * port (its last_seen then within the refresh interval), else 0. */
static __always_inline void fdb_cache_fill(struct fdb_cache_slot *s, __u64 key,
					   __u64 gen,
					   const struct xbr_fdb_val *e,
					   __u64 seen)
{
	if (!s)
		return;
	s->key = key;
	s->gen = gen;
	s->seen = seen;
	s->ifindex = e->ifindex;
	s->flags = e->flags;
}

#endif /* XBR_FDB_CACHE_H */
