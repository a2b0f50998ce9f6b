package stack

import "fmt"

// checkGlueTables: no column is also a partition key; and a delivery
// stream with dynamic partitioning or conversion has room to buffer, and a
// MetadataExtraction processor has dynamic partitioning on. (The rest of
// Firehose's rules are the API's.)
func (s *Stack) checkGlueTables() error {
	for i, t := range s.GlueTables {
		p := fmt.Sprintf("glue_tables[%d]", i)
		if sd := t.StorageDescriptor; sd != nil {
			for j, c := range sd.Columns {
				for _, k := range t.PartitionKeys {
					if k.Name == c.Name {
						return s.errorf(fmt.Sprintf("%s.storage_descriptor.columns[%d].name", p, j), "%q is also a partition key", c.Name)
					}
				}
			}
		}
	}
	for i, d := range s.DeliveryStreams {
		dst := d.ExtendedS3DestinationConfiguration
		p := fmt.Sprintf("delivery_streams[%d].extended_s3_destination_configuration", i)
		if b := dst.BufferingHints; b != nil && b.SizeInMBs != nil && *b.SizeInMBs < minDPBufferMB {
			switch {
			case dst.partitioned():
				return s.errorf(p+".buffering_hints.size_in_mbs", "must be at least %d with dynamic partitioning (got %d)", minDPBufferMB, *b.SizeInMBs)
			case dst.converts():
				return s.errorf(p+".buffering_hints.size_in_mbs", "must be at least %d with data format conversion (got %d)", minDPBufferMB, *b.SizeInMBs)
			}
		}
		if pc := dst.ProcessingConfiguration; pc != nil && (pc.Enabled == nil || *pc.Enabled) {
			for j, pr := range pc.Processors {
				if pr.Type == "MetadataExtraction" && !dst.partitioned() {
					return s.errorf(fmt.Sprintf("%s.processing_configuration.processors[%d].type", p, j),
						"MetadataExtraction needs dynamic_partitioning_configuration enabled")
				}
			}
		}
	}
	return nil
}
