// Package e2e holds the end-to-end tests of package stack: whole stacks
// applied to an in-process tarn (internal/tarntest) through the public
// APIs. They live apart so that the stack package's own test binary stays
// small (its fuzzer runs fast without the whole platform linked in).
package e2e
