package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func walSize(t *testing.T, file string) int64 {
	info, err := os.Stat(file + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

func TestACheckpointLeavesAReaderAloneAndTruncatesTheWALOnceItIsDone(t *testing.T) {
	file := filepath.Join(t.TempDir(), "wal.sqlite")
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+file+"?_txlock=immediate&_pragma=busy_timeout(60000)&_pragma=journal_mode(wal)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, statement := range []string{"CREATE TABLE t (n INTEGER)", "INSERT INTO t VALUES (1)"} {
		if _, err = db.ExecContext(ctx, statement); err != nil {
			t.Fatal(err)
		}
	}
	reader, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err = reader.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil { // its snapshot starts here
		t.Fatal(err)
	}
	if _, err = db.ExecContext(ctx, "INSERT INTO t VALUES (2)"); err != nil { // the reader's snapshot is now old
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() { done <- checkpoint(ctx, file, checkpointWaitDefault) }()
	select {
	case err = <-done: // given up at once: writers were not held up waiting for the reader
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the checkpoint waits for the reader (and holds FerretDB's writers up meanwhile)")
	}
	if walSize(t, file) == 0 {
		t.Fatal("the WAL was truncated under a reader of an older snapshot")
	}

	if err = reader.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err = checkpoint(ctx, file, checkpointWaitDefault); err != nil {
		t.Fatal(err)
	}
	if size := walSize(t, file); size != 0 {
		t.Fatalf("the WAL holds %d bytes after a checkpoint with no reader (erased bytes would stay there)", size)
	}
}
