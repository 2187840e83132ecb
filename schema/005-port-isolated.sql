-- SPDX-License-Identifier: GPL-2.0-only
-- Port isolation: an isolated port (1) sends nothing that came in by
-- another isolated port; 0, as before, is not isolated.
ALTER TABLE port ADD COLUMN isolated INTEGER NOT NULL DEFAULT 0
	CHECK (isolated IN (0, 1));
