-- SPDX-License-Identifier: GPL-2.0-only
-- Mirroring (SPAN): the ports of each monitor session of a bridge, each
-- with its role: a source of what it receives (1), sends (2) or both (3),
-- or the session's destination (4). A port is in one session at most and
-- leaves it with the port; a session ends with its destination or its
-- last source.
CREATE TABLE monitor (
	bridge TEXT NOT NULL,
	session INTEGER NOT NULL CHECK (session BETWEEN 1 AND 66),
	ifname TEXT NOT NULL UNIQUE,
	role INTEGER NOT NULL CHECK (role BETWEEN 1 AND 4),
	seq INTEGER NOT NULL,
	PRIMARY KEY (bridge, ifname),
	FOREIGN KEY (bridge, ifname) REFERENCES port(bridge, ifname)
		ON DELETE CASCADE
);

CREATE TRIGGER monitor_session_end AFTER DELETE ON monitor
WHEN old.role = 4 OR NOT EXISTS (
	SELECT 1 FROM monitor
	WHERE bridge = old.bridge AND session = old.session AND role <> 4)
BEGIN
	DELETE FROM monitor
	WHERE bridge = old.bridge AND session = old.session;
END;
