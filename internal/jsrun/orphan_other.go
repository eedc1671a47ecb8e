//go:build !linux

package jsrun

import "syscall"

// orphanSignal: only Linux kills a child when its parent dies; elsewhere
// the child's own time limit ends it.
func orphanSignal() *syscall.SysProcAttr { return nil }
