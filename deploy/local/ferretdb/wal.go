package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses
)

// truncateWALs checkpoints every database's WAL into the main file and truncates it, so bytes an
// erasure deleted (zeroed in the main file by secure_delete) do not survive in old WAL frames.
func truncateWALs(ctx context.Context, dir string, every, wait time.Duration, logger *slog.Logger) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			if info, err := os.Stat(file + "-wal"); err != nil || info.Size() == 0 {
				continue // nothing written since the last truncation
			}
			if err := checkpoint(ctx, file, wait); err != nil {
				logger.Debug("wal checkpoint", "file", file, "error", err)
			}
		}
	}
}

// A TRUNCATE checkpoint takes the database's write lock and then waits, through the busy handler, for
// readers of older snapshots to finish: FerretDB's writers wait all that time. With the 100 ms this
// once allowed, one write every few seconds waited ~110 ms (the slowest of matching's arrivals,
// docs/benchmarks.md, "The WAL checkpoint held writers up"). With `wait` 0 (the default) it does not
// wait: when the lock or a reader is in the way it checkpoints what it can as PASSIVE would,
// truncates nothing, and tries again next tick; an idle database is truncated at the next tick.
const checkpointWaitDefault = 0

func checkpoint(ctx context.Context, file string, wait time.Duration) error {
	dsn := fmt.Sprintf("file:%s?_pragma=busy_timeout(%d)&_pragma=secure_delete(1)", file, wait.Milliseconds())
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}
