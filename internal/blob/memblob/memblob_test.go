package memblob

import (
	"testing"

	"github.com/tarnhq/tarn/internal/blob"
	"github.com/tarnhq/tarn/internal/blob/blobtest"
)

func TestConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store { return New() })
}
