-- SPDX-License-Identifier: GPL-2.0-only
-- Internal ports: the bridge side of a veth pair that xbr-switchd makes;
-- "internal" names the host side ('' for an ordinary port).
ALTER TABLE port ADD COLUMN internal TEXT NOT NULL DEFAULT '';
