-- inputs/schema.sql — every table capmatch reads from an SQLite input
-- (docs/formats.md, "SQLite inputs"). Start a database of your own with
--     sqlite3 mydata.db < inputs/schema.sql
-- A database may hold any subset of these tables; a missing table means no
-- rows. There are deliberately no CHECK constraints: capmatch checks every
-- value itself and names the table, row and column of each problem, which a
-- failed CHECK would not. The example catalogue, the test generators and the
-- tests build their databases from this file.
CREATE TABLE topics(id TEXT PRIMARY KEY, name TEXT);
CREATE TABLE countries(code TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT,
  income_group TEXT, trainee_hours REAL, max_trainees INTEGER);
CREATE TABLE country_languages(country TEXT NOT NULL, language TEXT NOT NULL,
  PRIMARY KEY(country, language));
CREATE TABLE needs(country TEXT NOT NULL, topic TEXT NOT NULL,
  seats INTEGER NOT NULL, priority REAL NOT NULL DEFAULT 1,
  PRIMARY KEY(country, topic));
CREATE TABLE donors(id TEXT PRIMARY KEY, name TEXT, budget REAL NOT NULL,
  currency TEXT, max_share_per_country REAL);
CREATE TABLE donor_rules(donor TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE courses(id TEXT PRIMARY KEY, provider TEXT, title TEXT,
  language TEXT NOT NULL, format TEXT NOT NULL, cost_per_seat REAL NOT NULL,
  currency TEXT, seats INTEGER, min_seats INTEGER NOT NULL DEFAULT 0,
  max_per_country INTEGER, hours REAL NOT NULL DEFAULT 0, quality REAL,
  start_date TEXT, end_date TEXT);
CREATE TABLE course_topics(course TEXT NOT NULL, topic TEXT NOT NULL);
CREATE TABLE course_regions(course TEXT NOT NULL, region TEXT NOT NULL);
CREATE TABLE rates(currency TEXT PRIMARY KEY, rate REAL NOT NULL);
CREATE TABLE commitments(country TEXT NOT NULL, course TEXT NOT NULL,
  seats INTEGER NOT NULL, donor TEXT);
-- iati format: a topic's DAC 5-digit sector code (optional; default 22040)
ALTER TABLE topics ADD COLUMN dac_sector TEXT;
-- courses.url (optional, http:// or https://): where to enrol. Added after
-- the first release: a database without the column loads unchanged; give
-- an older one the column with the statement below.
ALTER TABLE courses ADD COLUMN url TEXT;
-- Participants' evaluations of past deliveries (docs/formats.md, "ratings"):
-- score 1-5, responses >= 1, collected YYYY-MM-DD.
CREATE TABLE ratings(course TEXT NOT NULL, score REAL NOT NULL,
  responses INTEGER NOT NULL, collected TEXT NOT NULL);
-- Other names of a topic (docs/formats.md, "Topic names").
CREATE TABLE topic_aliases(topic TEXT NOT NULL, alias TEXT NOT NULL);
