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

// errReshardNotActive is AWS's answer to a SplitShard, MergeShards or
// UpdateShardCount on a stream that is not ACTIVE (UPDATING: a reshard
// is still being applied).
func errReshardNotActive(name, status string) error {
	return awsjson.Errorf(codeResourceInUse, "Stream %s under account %s not ACTIVE, instead in state %s", name, accountID, status)
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

// Resharding.

func errShardClosed(shard, name string) error {
	return errInvalid("Shard %s in stream %s under account %s has already been merged or split, and thus is not eligible for merging or splitting.", shard, name, accountID)
}

func errSplitKey(key, shard, name string, start, end u128) error {
	return errInvalid("NewStartingHashKey %s used in SplitShard() on shard %s in stream %s under account %s "+
		"is not both greater than one plus the shard's StartingHashKey %s and less than the shard's EndingHashKey %s.",
		key, shard, name, accountID, start, end)
}

func errNotAdjacent(a, b, name string) error {
	return errInvalid("Shards %s and %s in stream %s under account %s are not an adjacent pair of shards eligible for merging", a, b, name, accountID)
}

func errOnDemand(name string) error {
	return awsjson.Errorf(awsjson.CodeValidation, "Stream %s under account %s is in ON_DEMAND capacity mode; this operation is supported only in PROVISIONED mode.", name, accountID)
}

func errScaleUp(current, target int) error {
	return awsjson.Errorf(codeLimitExceeded, "UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: %d Target shard count: %d", current, target)
}

func errScaleDown(current, target int) error {
	return awsjson.Errorf(codeLimitExceeded, "UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: %d Target shard count: %d", current, target)
}

func errStreamShardMax(name string, target int) error {
	return awsjson.Errorf(codeLimitExceeded, "UpdateShardCount cannot scale stream %s under account %s up to more than %d shards. Target shard count: %d", name, accountID, maxShardsPerStream, target)
}

func errScalingRate(name string) error {
	return awsjson.Errorf(codeLimitExceeded, "Stream %s under account %s has been scaled %d times in the last 24 hours; UpdateShardCount allows at most %d scalings per rolling 24-hour period.", name, accountID, maxScalingsPerDay, maxScalingsPerDay)
}

// Retention.

func errRetentionRange(hours int) error {
	if hours < minRetentionHours {
		return errInvalid("Minimum allowed retention period is %d hours. Requested retention period (%d hours) is too short.", minRetentionHours, hours)
	}
	return errInvalid("Maximum allowed retention period is %d hours. Requested retention period (%d hours) is too long.", maxRetentionHours, hours)
}

func errRetentionShorter(hours int, name string, current int) error {
	return errInvalid("Requested retention period (%d hours) for stream %s can not be shorter than existing retention period (%d hours). Use DecreaseRetentionPeriod API.", hours, name, current)
}

func errRetentionLonger(hours int, name string, current int) error {
	return errInvalid("Requested retention period (%d hours) for stream %s can not be longer than existing retention period (%d hours). Use IncreaseRetentionPeriod API.", hours, name, current)
}

// Tags.

func errTooManyTags(name string) error {
	return errInvalid("Failed to add tags to stream %s under account %s because a given stream cannot have more than %d tags.", name, accountID, maxTags)
}

func errTagChars(name string) error {
	return errInvalid("Failed to add tags to stream %s under account %s because some tags contained illegal characters. "+
		"The allowed characters are Unicode letters, white-spaces, '_',',','/','=','+','-','@'.", name, accountID)
}

func errTagReserved(key, name string) error {
	return errInvalid("Failed to add tags to stream %s under account %s because the tag key %s uses the reserved prefix aws:.", name, accountID, key)
}
