package main

import (
	"context"
	"database/sql"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the driver FerretDB itself uses
)

// truncateWALs checkpoints every database's WAL into the main file and truncates it, so bytes an
// erasure deleted (zeroed in the main file by secure_delete) do not survive in old WAL frames.
func truncateWALs(ctx context.Context, dir string, every time.Duration, logger *slog.Logger) {
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
			if err := checkpoint(ctx, file); err != nil {
				logger.Debug("wal checkpoint", "file", file, "error", err)
			}
		}
	}
}

// A short busy timeout: a checkpoint that would wait for busy writers gives up and runs next tick.
func checkpoint(ctx context.Context, file string) error {
	db, err := sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(100)&_pragma=secure_delete(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}
