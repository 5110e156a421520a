//go:build tools

// Package tools pins the Prometheus programs that deploy/local/servers/prometheus.sh builds.
package tools

import (
	_ "github.com/prometheus/prometheus/cmd/prometheus"
	_ "github.com/prometheus/prometheus/cmd/promtool"
)
