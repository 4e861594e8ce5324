-- tests/fuzz/sqlite_seeds.sql: seed database for fuzz_sqlite with values at
-- and beyond the documented limits, long and control-laden text, and a table
-- name with an escape (run.sh builds it with the sqlite3 CLI).
CREATE TABLE topics(id TEXT PRIMARY KEY, name TEXT);
INSERT INTO topics VALUES('t', 'T' || char(27) || '[2J' || char(155) || char(8238));
CREATE TABLE donors(id TEXT PRIMARY KEY, name TEXT, budget REAL NOT NULL, currency TEXT, max_share_per_country REAL);
INSERT INTO donors VALUES('d', NULL, 1e12, NULL, 0.0001), ('e', NULL, 0.0099, NULL, NULL), ('f' || char(8238), NULL, 1e-300, 'EUR', 0.000099);
CREATE TABLE rates(currency TEXT PRIMARY KEY, rate REAL NOT NULL);
INSERT INTO rates VALUES('EUR', 0.00000099), ('JPY', 1000000);
CREATE TABLE courses(id TEXT PRIMARY KEY, provider TEXT, title TEXT, language TEXT NOT NULL, format TEXT NOT NULL,
  cost_per_seat REAL NOT NULL, currency TEXT, seats INTEGER, min_seats INTEGER NOT NULL DEFAULT 0,
  max_per_country INTEGER, hours REAL NOT NULL DEFAULT 0, quality REAL, start_date TEXT, end_date TEXT);
INSERT INTO courses VALUES('c', 'p', printf('%.300c', 'x'), 'en', 'online', 1e-12, NULL, 1000001, 1000000, 1000000, 1000000.5, 5, NULL, NULL);
CREATE TABLE course_topics(course TEXT NOT NULL, topic TEXT NOT NULL);
INSERT INTO course_topics VALUES('c', 't');
CREATE TABLE "x[31mtable" (a);
