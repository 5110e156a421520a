package main

// FerretDB v1's SQLite backend looks documents up by `_ferretdb_sjson->'$._id'` but builds its
// unique `_id` index on `_ferretdb_sjson->"_id"`: SQLite matches index expressions by their form,
// so every lookup, update and delete by _id scanned the whole table (470 ms at 10,000 documents).
// This watcher adds, to every collection table, an index on the exact expression the queries use
// (0.1 ms then). FerretDB does not know the index: dropping the collection drops it with the table.

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // already linked in by FerretDB; registers the "sqlite" driver
)

const idPathSuffix = "_binome_id_path"

// fileStamp changes whenever SQLite writes the file or its write-ahead log.
type fileStamp struct{ db, wal time.Time }

type idIndexer struct {
	dir    string
	logger *slog.Logger
	seen   map[string]fileStamp
}

func (w *idIndexer) run(ctx context.Context, every time.Duration) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		w.pass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// pass only stats the files of an idle server; a database is opened when one of its files changed.
func (w *idIndexer) pass(ctx context.Context) {
	files, _ := filepath.Glob(filepath.Join(w.dir, "*.sqlite"))
	current := make(map[string]fileStamp, len(files))
	for _, file := range files {
		stamp := stampOf(file)
		current[file] = stamp
		if old, ok := w.seen[file]; ok && old == stamp {
			continue
		}
		if err := indexFile(ctx, file); err != nil {
			w.logger.Debug("id index pass failed; retrying at the next change", "file", file, "error", err)
			stamp = fileStamp{} // look again next time
			current[file] = stamp
		}
	}
	w.seen = current
}

func stampOf(file string) fileStamp {
	var s fileStamp
	if fi, err := os.Stat(file); err == nil {
		s.db = fi.ModTime()
	}
	if fi, err := os.Stat(file + "-wal"); err == nil {
		s.wal = fi.ModTime()
	}
	return s
}

func indexFile(ctx context.Context, file string) error {
	// mode=rw: never create a file FerretDB has just dropped.
	db, err := sql.Open("sqlite", "file:"+file+"?mode=rw&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	missing, err := tablesWithoutIDPath(ctx, db)
	if err != nil {
		return err
	}
	for _, table := range missing {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+idPathSuffix, table)
		if _, err = db.ExecContext(ctx, q); err != nil && !strings.Contains(err.Error(), "no such table") {
			return err
		}
	}
	return nil
}

func tablesWithoutIDPath(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT t.name FROM sqlite_master t
		WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND t.name NOT LIKE '\_ferretdb\_%' ESCAPE '\'
		AND NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = t.name || ?)`, idPathSuffix)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var name string
		if err = rows.Scan(&name); err != nil {
			return nil, err
		}
		tables = append(tables, name)
	}
	return tables, rows.Err()
}
