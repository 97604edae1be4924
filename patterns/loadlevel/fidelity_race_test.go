//go:build race

package loadlevel

// heavyFidelityCases are left out under the race detector: see
// fidelity_norace_test.go.
var heavyFidelityCases []fidelityCase
