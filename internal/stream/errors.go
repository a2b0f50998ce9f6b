package stream

import (
	"fmt"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// The Kinesis error catalog. Every error the API returns is built here.
const (
	codeResourceNotFound = "ResourceNotFoundException"
	codeResourceInUse    = "ResourceInUseException"
	codeInvalidArgument  = "InvalidArgumentException"
	codeLimitExceeded    = "LimitExceededException"
	codeExpiredIterator  = "ExpiredIteratorException"
	codeExpiredNextToken = "ExpiredNextTokenException"
	codeInternalFailure  = "InternalFailure"
)

// Sentinels for errors.Is (an *awsjson.Error matches by code).
var (
	ErrNotFound        = &awsjson.Error{Code: codeResourceNotFound}
	ErrInUse           = &awsjson.Error{Code: codeResourceInUse}
	ErrInvalidArgument = &awsjson.Error{Code: codeInvalidArgument}
	ErrExpiredIterator = &awsjson.Error{Code: codeExpiredIterator}
)

func errStreamNotFound(name string) error {
	return awsjson.Errorf(codeResourceNotFound, "Stream %s under account %s not found.", name, accountID)
}

func errShardNotFound(shard, name string) error {
	return awsjson.Errorf(codeResourceNotFound, "Shard %s in stream %s under account %s does not exist", shard, name, accountID)
}

func errStreamExists(name string) error {
	return awsjson.Errorf(codeResourceInUse, "Stream %s under account %s already exists.", name, accountID)
}

func errStreamNotActive(name, status string) error {
	return awsjson.Errorf(codeResourceInUse, "Stream %s under account %s is %s, not ACTIVE.", name, accountID, status)
}

func errInvalid(format string, args ...any) error {
	return awsjson.Errorf(codeInvalidArgument, format, args...)
}

func errShardLimit(region string, current, limit, add int) error {
	return awsjson.Errorf(codeLimitExceeded, "This request would exceed the shard limit for the account %s in %s. "+
		"Current shard count for the account: %d. Limit: %d. Number of additional shards that would have resulted from this request: %d.",
		accountID, region, current, limit, add)
}

func errIteratorExpired(created, now int64) error {
	return awsjson.Errorf(codeExpiredIterator, "Iterator expired. The iterator was created at time %s while right now it is %s "+
		"which is further in the future than the tolerated delay of %d milliseconds.",
		fmtMillis(created), fmtMillis(now), iteratorTTL.Milliseconds())
}

func errNextTokenExpired() error {
	return awsjson.Errorf(codeExpiredNextToken, "The timestamp in the NextToken has expired.")
}

func errInvalidIterator() error { return errInvalid("Invalid ShardIterator.") }

func errValidation(field string, value any, constraint string) error {
	return awsjson.Validation(field, value, constraint)
}

func errSeqInvalid(seq, shard, name string) error {
	return errInvalid("StartingSequenceNumber %s used in GetShardIterator on shard %s in stream %s under account %s is invalid.", seq, shard, name, accountID)
}

func errSeqOtherShard(seq, shard, name string) error {
	return errInvalid("StartingSequenceNumber %s used in GetShardIterator on shard %s in stream %s under account %s is invalid because it did not come from this stream.", seq, shard, name, accountID)
}

func fmtMillis(ms int64) string { return fmt.Sprintf("%d", ms) }
