package filelock

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

func TestSecondLockIsRefusedUntilReleased(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".envgen", "lock")
	l, err := TryLock(path)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to the open file, so a second open in this
	// process conflicts just as another process would.
	_, err = TryLock(path)
	var held *HeldError
	if !errors.As(err, &held) || !errors.Is(err, ErrLocked) || held.PID != itoa(os.Getpid()) {
		t.Fatalf("second TryLock: %v; want HeldError naming pid %d", err, os.Getpid())
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	l2, err := TryLock(path)
	if err != nil {
		t.Fatalf("after Unlock: %v", err)
	}
	_ = l2.Unlock()
}

// A process that dies holding the lock does not leave it behind.
func TestLockDiesWithItsProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	l, err := TryLock(path)
	if err != nil {
		t.Fatal(err)
	}
	_ = l.f.Close() // the descriptor goes, as when a process is killed
	l2, err := TryLock(path)
	if err != nil {
		t.Fatalf("lock outlived its holder: %v", err)
	}
	_ = l2.Unlock()
}

func itoa(n int) string { return strconv.Itoa(n) }
