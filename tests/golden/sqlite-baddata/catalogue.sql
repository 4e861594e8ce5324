-- Source of catalogue.db (rebuild: rm catalogue.db; sqlite3 catalogue.db < catalogue.sql).
-- Deliberate errors: a TEXT budget, a fractional seat count, an unknown
-- donor rule field, a rule for a donor of another source, a course
-- without topics.
PRAGMA page_size = 512;
CREATE TABLE topics(id TEXT PRIMARY KEY, name TEXT);
CREATE TABLE countries(code TEXT PRIMARY KEY, name TEXT NOT NULL, region TEXT);
CREATE TABLE country_languages(country TEXT NOT NULL, language TEXT NOT NULL);
CREATE TABLE needs(country TEXT NOT NULL, topic TEXT NOT NULL, seats INTEGER NOT NULL);
CREATE TABLE donors(id TEXT PRIMARY KEY, budget REAL NOT NULL);
CREATE TABLE donor_rules(donor TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE courses(id TEXT PRIMARY KEY, language TEXT NOT NULL, format TEXT NOT NULL,
  cost_per_seat REAL NOT NULL);
CREATE TABLE course_topics(course TEXT NOT NULL, topic TEXT NOT NULL);
INSERT INTO topics VALUES('ir', 'International law');
INSERT INTO countries VALUES('NER', 'Niger', 'Africa');
INSERT INTO country_languages VALUES('NER', 'fr');
INSERT INTO needs VALUES('NER', 'ir', 2.5);
INSERT INTO donors VALUES('eu', 'lots');
INSERT INTO donor_rules VALUES('eu', 'regions', 'Africa'), ('gfce', 'topic', 'ir');
INSERT INTO courses VALUES('c1', 'fr', 'online', 0), ('c2', 'fr', 'online', 0);
INSERT INTO course_topics VALUES('c1', 'ir');
