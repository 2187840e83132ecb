-- SPDX-License-Identifier: GPL-2.0-only
-- Sticky addresses: a port whose learned addresses become static entries,
-- and the static entries that came so (0, as before: none).
ALTER TABLE port ADD COLUMN mac_sticky INTEGER NOT NULL DEFAULT 0
	CHECK (mac_sticky IN (0, 1));
ALTER TABLE static_mac ADD COLUMN sticky INTEGER NOT NULL DEFAULT 0
	CHECK (sticky IN (0, 1));
