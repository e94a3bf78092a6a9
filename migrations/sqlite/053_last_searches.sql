-- A regulator's last search (issue 16, item 7): /recherche without criteria offers it again
-- (« Reprendre votre dernière recherche »). One row per account, replaced by each new search:
-- criteria is the page's query string (no draw, no page), summary the text of the link.
CREATE TABLE last_searches (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  criteria TEXT NOT NULL,
  summary TEXT NOT NULL,
  searched_at INTEGER NOT NULL
);
