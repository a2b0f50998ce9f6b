package stack

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// validate checks the tags' constraints on every field, then the rules
// that span fields. The first problem is returned.
func (s *Stack) validate() error {
	if err := s.checkTags(reflect.ValueOf(s).Elem(), ""); err != nil {
		return err
	}
	for _, check := range []func() error{s.checkNames, s.checkTables, s.checkDelivery, s.checkGlueTables, s.checkFunctions,
		s.checkMappings, s.checkNotifications, s.checkTriggers} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// checkTags applies req, enum, min and max to v and everything under it.
func (s *Stack) checkTags(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			return s.checkTags(v.Elem(), path)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if err := s.checkTags(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := yamlName(f)
			if name == "" {
				continue
			}
			p, fv := join(path, name), v.Field(i)
			_, set := s.lines[p]
			if _, req := f.Tag.Lookup("req"); req && (fv.IsZero() || fv.Kind() == reflect.Slice && fv.Len() == 0) {
				if !set || fv.Kind() != reflect.Struct {
					return s.errorf(p, "is required")
				}
			}
			if err := s.checkField(f, fv, p, set); err != nil {
				return err
			}
			if err := s.checkTags(fv, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Stack) checkField(f reflect.StructField, v reflect.Value, path string, set bool) error {
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem() // an optional scalar (*int): its constraints hold when given
	}
	if v.Kind() == reflect.String && v.String() != "" {
		if enum, ok := f.Tag.Lookup("enum"); ok && !slices.Contains(strings.Split(enum, ","), v.String()) {
			return s.errorf(path, "must be one of %s (got %q)", strings.ReplaceAll(enum, ",", ", "), v.String())
		}
	}
	if v.Kind() != reflect.Int || !set {
		return nil
	}
	n := int(v.Int())
	lo, hasLo := intTag(f, "min")
	hi, hasHi := intTag(f, "max")
	switch {
	case hasLo && n < lo && lo == 1:
		return s.errorf(path, "must be a positive integer")
	case hasLo && n < lo && lo == 0:
		return s.errorf(path, "must not be negative")
	case hasLo && n < lo:
		return s.errorf(path, "must be at least %d (got %d)", lo, n)
	case hasHi && n > hi:
		return s.errorf(path, "must be at most %d (got %d)", hi, n)
	}
	return nil
}

func intTag(f reflect.StructField, key string) (int, bool) {
	t, ok := f.Tag.Lookup(key)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(t)
	return n, err == nil
}

// checkNames refuses two resources of one kind with one name.
func (s *Stack) checkNames() error {
	v := reflect.ValueOf(s).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sec := yamlName(t.Field(i))
		if sec == "" {
			continue
		}
		seen := map[string]int{}
		list := v.Field(i)
		for j := 0; j < list.Len(); j++ {
			name := resourceName(list.Index(j).Addr().Interface())
			p := fmt.Sprintf("%s[%d]", sec, j)
			if first, dup := seen[name]; dup {
				return s.errorf(p, "duplicate %s %q (first at line %d)", kindOf(sec), name, s.line(fmt.Sprintf("%s[%d]", sec, first)))
			}
			seen[name] = j
		}
	}
	return nil
}

// exactlyOne reports an error unless exactly one of the named fields is set.
func (s *Stack) exactlyOne(path string, names []string, set ...bool) error {
	n := 0
	for _, b := range set {
		if b {
			n++
		}
	}
	if n == 1 {
		return nil
	}
	if n == 0 {
		return s.errorf(path, "needs one of %s", strings.Join(names, ", "))
	}
	return s.errorf(path, "give only one of %s", strings.Join(names, ", "))
}

func (s *Stack) checkTables() error {
	for i, t := range s.Tables {
		p := fmt.Sprintf("tables[%d]", i)
		defined := map[string]bool{}
		for _, a := range t.AttributeDefinitions {
			defined[a.AttributeName] = true
		}
		check := func(path string, ks []KeyElement) error {
			if len(ks) > 2 || ks[0].KeyType != "HASH" || len(ks) == 2 && ks[1].KeyType != "RANGE" {
				return s.errorf(path, "must be one HASH element, optionally followed by one RANGE element")
			}
			for j, k := range ks {
				if !defined[k.AttributeName] {
					return s.errorf(fmt.Sprintf("%s[%d].attribute_name", path, j), "%q is not in attribute_definitions", k.AttributeName)
				}
			}
			return nil
		}
		if err := check(p+".key_schema", t.KeySchema); err != nil {
			return err
		}
		for j, g := range t.GlobalSecondaryIndexes {
			if err := check(fmt.Sprintf("%s.global_secondary_indexes[%d].key_schema", p, j), g.KeySchema); err != nil {
				return err
			}
		}
		if t.BillingMode == "PROVISIONED" && t.ProvisionedThroughput == nil {
			return s.errorf(p+".provisioned_throughput", "is required with billing_mode PROVISIONED")
		}
		if t.BillingMode != "PROVISIONED" && t.ProvisionedThroughput != nil {
			return s.errorf(p+".provisioned_throughput", "is only allowed with billing_mode PROVISIONED")
		}
		if ss := t.StreamSpecification; ss != nil && ss.StreamEnabled && ss.StreamViewType == "" {
			return s.errorf(p+".stream_specification.stream_view_type", "is required when stream_enabled is true")
		}
	}
	return nil
}

func (s *Stack) checkDelivery() error {
	for i, d := range s.DeliveryStreams {
		p := fmt.Sprintf("delivery_streams[%d]", i)
		dst := d.ExtendedS3DestinationConfiguration
		if err := s.exactlyOne(p+".extended_s3_destination_configuration", []string{"bucket_arn", "bucket"}, dst.BucketARN != "", dst.Bucket != ""); err != nil {
			return err
		}
		if src := d.KinesisStreamSourceConfiguration; src != nil {
			if err := s.exactlyOne(p+".kinesis_stream_source_configuration", []string{"kinesis_stream_arn", "stream_name"}, src.KinesisStreamARN != "", src.StreamName != ""); err != nil {
				return err
			}
		}
		if c := dst.DataFormatConversionConfiguration; c != nil {
			cp := p + ".extended_s3_destination_configuration.data_format_conversion_configuration"
			if c.InputFormatConfiguration == nil || c.OutputFormatConfiguration == nil || c.SchemaConfiguration == nil {
				return s.errorf(cp, "needs input_format_configuration, output_format_configuration and schema_configuration")
			}
			ds := c.InputFormatConfiguration.Deserializer
			if err := s.exactlyOne(cp+".input_format_configuration.deserializer", []string{"open_x_json_ser_de", "hive_json_ser_de"}, ds.OpenXJsonSerDe != nil, ds.HiveJsonSerDe != nil); err != nil {
				return err
			}
			sr := c.OutputFormatConfiguration.Serializer
			if err := s.exactlyOne(cp+".output_format_configuration.serializer", []string{"parquet_ser_de", "orc_ser_de"}, sr.ParquetSerDe != nil, sr.OrcSerDe != nil); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Stack) checkFunctions() error {
	for i, f := range s.Functions {
		p := fmt.Sprintf("functions[%d]", i)
		c := f.Code
		if err := s.exactlyOne(p+".code", []string{"path", "zip", "s3_bucket with s3_key"}, c.Path != "", c.Zip != "", c.S3Bucket != "" || c.S3Key != ""); err != nil {
			return err
		}
		if (c.S3Bucket == "") != (c.S3Key == "") {
			return s.errorf(p+".code", "s3_bucket and s3_key go together")
		}
		if f.Handler == "" && !strings.HasPrefix(f.Runtime, "provided") {
			return s.errorf(p+".handler", "is required for runtime %s", f.Runtime)
		}
	}
	return nil
}

func (s *Stack) checkMappings() error {
	for i, m := range s.EventSourceMappings {
		if err := s.exactlyOne(fmt.Sprintf("event_source_mappings[%d]", i), []string{"event_source_arn", "stream", "table"},
			m.EventSourceARN != "", m.Stream != "", m.Table != ""); err != nil {
			return err
		}
	}
	return nil
}

func (s *Stack) checkNotifications() error {
	for i, n := range s.BucketNotifications {
		for j, c := range n.LambdaFunctionConfigurations {
			if err := s.exactlyOne(fmt.Sprintf("bucket_notifications[%d].lambda_function_configurations[%d]", i, j),
				[]string{"lambda_function_arn", "function"}, c.LambdaFunctionARN != "", c.Function != ""); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Stack) checkTriggers() error {
	for i, t := range s.Triggers {
		p := fmt.Sprintf("triggers[%d]", i)
		if t.Type == "SCHEDULED" && t.Schedule == "" {
			return s.errorf(p+".schedule", "is required for type SCHEDULED")
		}
		if t.Type == "CONDITIONAL" && t.Predicate == nil {
			return s.errorf(p+".predicate", "is required for type CONDITIONAL")
		}
		for j, a := range t.Actions {
			if err := s.exactlyOne(fmt.Sprintf("%s.actions[%d]", p, j), []string{"job_name", "crawler_name"}, a.JobName != "", a.CrawlerName != ""); err != nil {
				return err
			}
		}
	}
	return nil
}
