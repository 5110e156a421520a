//go:build tools

// Package tools pins the Jaeger program that deploy/local/servers/jaeger.sh builds.
package tools

import _ "github.com/jaegertracing/jaeger/cmd/jaeger"
