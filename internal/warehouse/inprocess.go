package warehouse

import (
	"context"
	"fmt"
)

// Exec runs one statement in-process on a session of its own as user
// awsuser in database ("" means DefaultDatabase), for Glue and EMR jobs.
// It returns the rows the statement returned or changed (-1 if its
// command tag names no count). The statement commits on its own.
func (s *Service) Exec(ctx context.Context, database, statement string) (int64, error) {
	if database == "" {
		database = DefaultDatabase
	}
	se, err := s.newSession(ctx, "awsuser", database, s.pids.Add(1))
	if err != nil {
		return 0, err
	}
	defer se.Close()
	cols, data, tag, err := runOne(ctx, se, statement, nil)
	if err != nil {
		return 0, fmt.Errorf("warehouse: %s", errText(err))
	}
	if cols != nil {
		return int64(len(data)), nil
	}
	return tagCount(tag), nil
}
