package stack

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gtypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
)

func (c *Crawler) targets() *gtypes.CrawlerTargets {
	t := &gtypes.CrawlerTargets{}
	for _, s := range c.Targets.S3Targets {
		t.S3Targets = append(t.S3Targets, gtypes.S3Target{Path: aws.String(s.Path), Exclusions: s.Exclusions})
	}
	return t
}

func targetsString(t *gtypes.CrawlerTargets) string {
	if t == nil {
		return ""
	}
	var parts []string
	for _, s := range t.S3Targets {
		p := aws.ToString(s.Path)
		if len(s.Exclusions) > 0 {
			p += " excluding " + strings.Join(s.Exclusions, ",")
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

func (c *Crawler) policy() *gtypes.SchemaChangePolicy {
	if c.SchemaChangePolicy == nil {
		return nil
	}
	return &gtypes.SchemaChangePolicy{UpdateBehavior: gtypes.UpdateBehavior(c.SchemaChangePolicy.UpdateBehavior),
		DeleteBehavior: gtypes.DeleteBehavior(c.SchemaChangePolicy.DeleteBehavior)}
}

func (c *Crawler) plan(ctx context.Context, e *env) (step, error) {
	out, err := e.c.Glue.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String(c.Name)})
	if isNotFound(err) {
		return step{change: Change{Action: Create}, do: func(ctx context.Context) error {
			_, err := e.c.Glue.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String(c.Name), Role: aws.String(or(c.Role, DefaultRole)),
				DatabaseName: aws.String(c.DatabaseName), Description: optional(c.Description), Targets: c.targets(),
				TablePrefix: optional(c.TablePrefix), Schedule: optional(c.Schedule), SchemaChangePolicy: c.policy(),
				Configuration: optional(c.Configuration)})
			return err
		}}, nil
	}
	if err != nil {
		return step{}, err
	}
	h := out.Crawler
	var d diff
	d.str("role", aws.ToString(h.Role), or(c.Role, DefaultRole))
	d.str("database_name", aws.ToString(h.DatabaseName), c.DatabaseName)
	d.str("description", aws.ToString(h.Description), c.Description)
	d.str("targets", targetsString(h.Targets), targetsString(c.targets()))
	d.str("table_prefix", aws.ToString(h.TablePrefix), c.TablePrefix)
	sched := ""
	if h.Schedule != nil {
		sched = aws.ToString(h.Schedule.ScheduleExpression)
	}
	d.str("schedule", sched, c.Schedule)
	if p := c.SchemaChangePolicy; p != nil && h.SchemaChangePolicy != nil {
		if p.UpdateBehavior != "" {
			d.str("schema_change_policy.update_behavior", string(h.SchemaChangePolicy.UpdateBehavior), p.UpdateBehavior)
		}
		if p.DeleteBehavior != "" {
			d.str("schema_change_policy.delete_behavior", string(h.SchemaChangePolicy.DeleteBehavior), p.DeleteBehavior)
		}
	}
	if c.Configuration != "" {
		d.str("configuration", aws.ToString(h.Configuration), c.Configuration)
	}
	return updateOrSame(d, func(ctx context.Context) error {
		_, err := e.c.Glue.UpdateCrawler(ctx, &glue.UpdateCrawlerInput{Name: aws.String(c.Name), Role: aws.String(or(c.Role, DefaultRole)),
			DatabaseName: aws.String(c.DatabaseName), Description: aws.String(c.Description), Targets: c.targets(),
			TablePrefix: aws.String(c.TablePrefix), Schedule: aws.String(c.Schedule), SchemaChangePolicy: c.policy(),
			Configuration: optional(c.Configuration)})
		return err
	}), nil
}

func (j *Job) command() *gtypes.JobCommand {
	return &gtypes.JobCommand{Name: aws.String(or(j.Command.Name, "glueetl")), ScriptLocation: aws.String(j.Command.ScriptLocation),
		PythonVersion: optional(j.Command.PythonVersion)}
}

func optInt(n int) *int32 {
	if n == 0 {
		return nil
	}
	return aws.Int32(int32(n))
}

func (j *Job) plan(ctx context.Context, e *env) (step, error) {
	out, err := e.c.Glue.GetJob(ctx, &glue.GetJobInput{JobName: aws.String(j.Name)})
	if isNotFound(err) {
		return step{change: Change{Action: Create}, do: func(ctx context.Context) error {
			_, err := e.c.Glue.CreateJob(ctx, &glue.CreateJobInput{Name: aws.String(j.Name), Role: aws.String(or(j.Role, DefaultRole)),
				Command: j.command(), Description: optional(j.Description), DefaultArguments: j.DefaultArguments,
				GlueVersion: optional(j.GlueVersion), WorkerType: gtypes.WorkerType(j.WorkerType), NumberOfWorkers: optInt(j.NumberOfWorkers),
				MaxRetries: int32(j.MaxRetries), Timeout: optInt(j.Timeout)})
			return err
		}}, nil
	}
	if err != nil {
		return step{}, err
	}
	h := out.Job
	var d diff
	d.str("role", aws.ToString(h.Role), or(j.Role, DefaultRole))
	d.str("description", aws.ToString(h.Description), j.Description)
	if h.Command != nil {
		d.str("command.name", aws.ToString(h.Command.Name), or(j.Command.Name, "glueetl"))
		d.str("command.script_location", aws.ToString(h.Command.ScriptLocation), j.Command.ScriptLocation)
		if j.Command.PythonVersion != "" {
			d.str("command.python_version", aws.ToString(h.Command.PythonVersion), j.Command.PythonVersion)
		}
	}
	if !maps.Equal(h.DefaultArguments, j.DefaultArguments) {
		d = append(d, FieldChange{"default_arguments", envString(h.DefaultArguments), envString(j.DefaultArguments)})
	}
	if j.GlueVersion != "" {
		d.str("glue_version", aws.ToString(h.GlueVersion), j.GlueVersion)
	}
	if j.WorkerType != "" {
		d.str("worker_type", string(h.WorkerType), j.WorkerType)
	}
	if j.NumberOfWorkers != 0 {
		d.num("number_of_workers", int(aws.ToInt32(h.NumberOfWorkers)), j.NumberOfWorkers)
	}
	d.num("max_retries", int(h.MaxRetries), j.MaxRetries)
	if j.Timeout != 0 {
		d.num("timeout", int(aws.ToInt32(h.Timeout)), j.Timeout)
	}
	return updateOrSame(d, func(ctx context.Context) error {
		_, err := e.c.Glue.UpdateJob(ctx, &glue.UpdateJobInput{JobName: aws.String(j.Name), JobUpdate: &gtypes.JobUpdate{
			Role: aws.String(or(j.Role, DefaultRole)), Command: j.command(), Description: aws.String(j.Description),
			DefaultArguments: j.DefaultArguments, GlueVersion: optional(j.GlueVersion), WorkerType: gtypes.WorkerType(j.WorkerType),
			NumberOfWorkers: optInt(j.NumberOfWorkers), MaxRetries: int32(j.MaxRetries), Timeout: optInt(j.Timeout)}})
		return err
	}), nil
}

func (t *Trigger) actions() []gtypes.Action {
	out := make([]gtypes.Action, len(t.Actions))
	for i, a := range t.Actions {
		out[i] = gtypes.Action{JobName: optional(a.JobName), CrawlerName: optional(a.CrawlerName), Arguments: a.Arguments, Timeout: optInt(a.Timeout)}
	}
	return out
}

func actionsString(as []gtypes.Action) string {
	parts := make([]string, len(as))
	for i, a := range as {
		if a.JobName != nil {
			parts[i] = "job " + aws.ToString(a.JobName)
		} else {
			parts[i] = "crawler " + aws.ToString(a.CrawlerName)
		}
		if len(a.Arguments) > 0 {
			parts[i] += " " + envString(a.Arguments)
		}
		if a.Timeout != nil {
			parts[i] += fmt.Sprintf(" timeout %d", *a.Timeout)
		}
	}
	return strings.Join(parts, "; ")
}

func (t *Trigger) predicate() *gtypes.Predicate {
	if t.Predicate == nil {
		return nil
	}
	p := &gtypes.Predicate{Logical: gtypes.Logical(t.Predicate.Logical)}
	for _, c := range t.Predicate.Conditions {
		p.Conditions = append(p.Conditions, gtypes.Condition{LogicalOperator: gtypes.LogicalOperator(or(c.LogicalOperator, "EQUALS")),
			JobName: optional(c.JobName), State: gtypes.JobRunState(c.State), CrawlerName: optional(c.CrawlerName), CrawlState: gtypes.CrawlState(c.CrawlState)})
	}
	return p
}

func predicateString(p *gtypes.Predicate) string {
	if p == nil {
		return ""
	}
	parts := []string{string(p.Logical)}
	for _, c := range p.Conditions {
		if c.JobName != nil {
			parts = append(parts, "job "+aws.ToString(c.JobName)+" "+string(c.State))
		} else {
			parts = append(parts, "crawler "+aws.ToString(c.CrawlerName)+" "+string(c.CrawlState))
		}
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

func (t *Trigger) plan(ctx context.Context, e *env) (step, error) {
	out, err := e.c.Glue.GetTrigger(ctx, &glue.GetTriggerInput{Name: aws.String(t.Name)})
	if isNotFound(err) {
		return step{change: Change{Action: Create}, do: func(ctx context.Context) error {
			_, err := e.c.Glue.CreateTrigger(ctx, &glue.CreateTriggerInput{Name: aws.String(t.Name), Type: gtypes.TriggerType(t.Type),
				Actions: t.actions(), Description: optional(t.Description), Predicate: t.predicate(), Schedule: optional(t.Schedule),
				StartOnCreation: t.StartOnCreation})
			return err
		}}, nil
	}
	if err != nil {
		return step{}, err
	}
	h := out.Trigger
	var replace diff
	replace.str("type", string(h.Type), t.Type)
	if len(replace) > 0 {
		return step{change: Change{Action: Replace, Fields: replace}}, nil
	}
	var d diff
	d.str("description", aws.ToString(h.Description), t.Description)
	d.str("schedule", aws.ToString(h.Schedule), t.Schedule)
	d.str("actions", actionsString(h.Actions), actionsString(t.actions()))
	d.str("predicate", predicateString(h.Predicate), predicateString(t.predicate()))
	return updateOrSame(d, func(ctx context.Context) error {
		_, err := e.c.Glue.UpdateTrigger(ctx, &glue.UpdateTriggerInput{Name: aws.String(t.Name), TriggerUpdate: &gtypes.TriggerUpdate{
			Description: aws.String(t.Description), Schedule: optional(t.Schedule), Actions: t.actions(), Predicate: t.predicate()}})
		return err
	}), nil
}
