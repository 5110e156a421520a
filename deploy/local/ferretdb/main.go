// Command ferretdb runs FerretDB v1 (MongoDB wire protocol over SQLite) for local
// development and tests.
//
// It embeds github.com/FerretDB/FerretDB/ferretdb instead of building upstream's
// cmd/ferretdb, because `go install .../cmd/ferretdb@v1.24.2` panics at start: its
// generated build/version/version.txt is not in the module (FerretDB issue 2982).
// With our own main module, FerretDB's version check is skipped.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	_ "net/http/pprof" // served only when -pprof-addr is set
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listenAddr := flag.String("listen-addr", "127.0.0.1:27117", "TCP address to listen on (host:port)")
	sqliteDir := flag.String("sqlite-dir", "data", "directory for the SQLite database files (created if missing)")
	// The PostgreSQL backend (plain PostgreSQL, no extension) is measured side by side with SQLite
	// (bench/store_access.py); deploy/local/servers/ferretdb-pg.sh runs it.
	postgresURL := flag.String("postgresql-url", "", "use the PostgreSQL backend at this URL instead of SQLite")
	// FerretDB logs every failed command (even an expected duplicate key, or the endSessions
	// pymongo sends on close) as a multi-line warning, hence "error" by default.
	logLevel := flag.String("log-level", "error", "log level: debug, info, warn or error")
	// FerretDB commits every update statement on its own; with SQLite's default synchronous(full)
	// each commit waits for an fsync (~5 ms here). In WAL mode "normal" stays safe against a crash
	// of this process and only risks the last commits on an OS crash: right for a local test store.
	synchronous := flag.String("sqlite-synchronous", "normal", "SQLite synchronous pragma: off, normal, full")
	// Erasure must really forget: secure_delete(1) zeroes the content of deleted rows and freed pages,
	// and a periodic TRUNCATE checkpoint empties the WAL, whose old frames would otherwise keep the
	// erased bytes until overwritten. Every 10 s, not 2: a TRUNCATE checkpoint holds writers up while it
	// copies and syncs (a few ms), and at 2 s 1-2 % of matching's arrivals met one (docs/benchmarks.md,
	// "The local servers' pauses").
	checkpointEvery := flag.Duration("wal-checkpoint-interval", 10*time.Second, "how often the WAL files are checkpointed and truncated (0: never)")
	// 0: a checkpoint never holds writers up waiting for readers (wal.go says why).
	checkpointWait := flag.Duration("wal-checkpoint-wait", checkpointWaitDefault, "how long a checkpoint may wait for the write lock and for readers (blocking writers meanwhile)")
	// How often the _id-path indexer (id_index.go) looks for new collection tables; 0 turns it off.
	indexEvery := flag.Duration("id-index-interval", time.Second, "how often new tables get the _id path index (0: never)")
	// Where the store's CPU goes (bench/store_profile.py reads it); off unless set.
	pprofAddr := flag.String("pprof-addr", "", "serve Go's pprof handlers on this host:port (empty: off)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fatal(fmt.Errorf("bad -log-level %q: %w", *logLevel, err))
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	dir, err := filepath.Abs(*sqliteDir)
	if err != nil {
		fatal(err)
	}
	if *postgresURL == "" {
		if err = os.MkdirAll(dir, 0o755); err != nil {
			fatal(err)
		}
	}

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:   logger,
		Handler:  "sqlite",
		// FerretDB wants a URI naming an existing directory, with a trailing slash.
		// _txlock=immediate: a writer takes the lock when its transaction begins, so concurrent
		// writers queue (up to busy_timeout, 60 s) instead of failing with SQLITE_BUSY on a read-to-write
		// upgrade; FerretDB's default 10 s is too short when two cores serve many writers.
		SQLiteURL: "file:" + dir + "/?_txlock=immediate&_pragma=busy_timeout(60000)&_pragma=secure_delete(1)&_pragma=synchronous(" + *synchronous + ")",
	}
	if *postgresURL != "" {
		config.Handler, config.PostgreSQLURL, config.SQLiteURL = "postgresql", *postgresURL, ""
	}
	f, err := ferretdb.New(config)
	if err != nil {
		fatal(err)
	}

	if *pprofAddr != "" {
		go func() { logger.Error("pprof server stopped", "error", http.ListenAndServe(*pprofAddr, nil)) }()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *postgresURL != "" {
		fmt.Fprintf(os.Stderr, "ferretdb: serving on %s, PostgreSQL backend\n", *listenAddr)
	} else {
		fmt.Fprintf(os.Stderr, "ferretdb: serving on %s, SQLite files in %s\n", *listenAddr, dir)
	}

	if *checkpointEvery > 0 && *postgresURL == "" {
		go truncateWALs(ctx, dir, *checkpointEvery, *checkpointWait, logger)
	}
	if *indexEvery > 0 && *postgresURL == "" {
		indexer := &idIndexer{dir: dir, logger: logger}
		go indexer.run(ctx, *indexEvery)
	}

	// Run returns nil once ctx is cancelled, after closing the listener and the databases.
	if err = f.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		fatal(err)
	}

	fmt.Fprintln(os.Stderr, "ferretdb: stopped")
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "ferretdb:", err)
	os.Exit(1)
}
