-- SPDX-License-Identifier: GPL-2.0-only
-- The configuration of an xbr appliance.
CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE bridge (
	name TEXT PRIMARY KEY,
	ageing_time INTEGER NOT NULL DEFAULT 300
		CHECK (ageing_time BETWEEN 10 AND 1000000),
	learn_limit INTEGER NOT NULL DEFAULT 0 CHECK (learn_limit >= 0),
	fdb_capacity INTEGER NOT NULL DEFAULT 65536 CHECK (fdb_capacity > 0)
);

CREATE TABLE port (
	bridge TEXT NOT NULL REFERENCES bridge(name) ON DELETE CASCADE,
	ifname TEXT NOT NULL UNIQUE,
	learn_limit INTEGER NOT NULL DEFAULT 0 CHECK (learn_limit >= 0),
	seq INTEGER NOT NULL,
	PRIMARY KEY (bridge, ifname)
);

CREATE TABLE static_mac (
	bridge TEXT NOT NULL,
	mac TEXT NOT NULL,
	vid INTEGER NOT NULL CHECK (vid BETWEEN 1 AND 4094),
	ifname TEXT NOT NULL,
	PRIMARY KEY (bridge, mac, vid),
	FOREIGN KEY (bridge, ifname) REFERENCES port(bridge, ifname)
		ON DELETE CASCADE
);
