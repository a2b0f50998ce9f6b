package emr

import (
	"fmt"
	"regexp"
	"strings"
)

// sqlScript is what a spark-sql or hive command line asks for.
type sqlScript struct {
	tool     string            // "spark-sql" or "hive", for messages
	database string            // --database; "" means default
	inline   string            // -e
	file     string            // -f URI
	inits    []string          // -i URIs, run first
	vars     map[string]string // -d/--define/--hivevar: ${k}, ${hivevar:k}
	conf     map[string]string // --hiveconf: ${hiveconf:k}
}

// sparkValueOpts are spark-submit options (which spark-sql accepts) that
// take a value; tarn's engine has no use for them and skips them.
var sparkValueOpts = map[string]bool{"--master": true, "--deploy-mode": true, "--class": true, "--name": true,
	"--jars": true, "--packages": true, "--exclude-packages": true, "--repositories": true, "--py-files": true,
	"--files": true, "--archives": true, "--conf": true, "-c": true, "--properties-file": true,
	"--driver-memory": true, "--driver-java-options": true, "--driver-library-path": true,
	"--driver-class-path": true, "--executor-memory": true, "--proxy-user": true, "--driver-cores": true,
	"--total-executor-cores": true, "--executor-cores": true, "--num-executors": true, "--principal": true,
	"--keytab": true, "--queue": true}

// sparkFlags are spark-submit and CLI options without a value.
var sparkFlags = map[string]bool{"--verbose": true, "-v": true, "--supervise": true, "-S": true, "--silent": true, "-H": true, "--help": true}

// parseSQLArgs parses the arguments after "spark-sql" or "hive" (for
// hive-script, after "--args"). Options may also be written --opt=value;
// -hiveconf, -hivevar and -define are the Hive CLI's --hiveconf, ...
func parseSQLArgs(tool string, args []string) (*sqlScript, error) {
	sc := &sqlScript{tool: tool, vars: map[string]string{}, conf: map[string]string{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, val, hasVal := a, "", false
		if a == "-hiveconf" || a == "-hivevar" || a == "-define" { // the Hive CLI's single-dash spellings
			name = "-" + a
		}
		if strings.HasPrefix(a, "--") {
			if n, v, ok := strings.Cut(a, "="); ok {
				name, val, hasVal = n, v, true
			}
		}
		value := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("%s: option %s needs a value", tool, name)
			}
			i++
			return args[i], nil
		}
		switch {
		case name == "-e" || name == "-f" || name == "-i" || name == "--database" || name == "-database" ||
			name == "-d" || name == "--define" || name == "--hivevar" || name == "--hiveconf" || sparkValueOpts[name]:
			v, err := value()
			if err != nil {
				return nil, err
			}
			switch name {
			case "-e":
				sc.inline = v
			case "-f":
				sc.file = v
			case "-i":
				sc.inits = append(sc.inits, v)
			case "--database", "-database":
				sc.database = v
			case "-d", "--define", "--hivevar", "--hiveconf":
				k, kv, ok := strings.Cut(v, "=")
				if !ok || k == "" {
					return nil, fmt.Errorf("%s: %s %q is not of the form key=value", tool, name, v)
				}
				if name == "--hiveconf" {
					sc.conf[k] = kv
				} else {
					sc.vars[k] = kv
				}
			}
		case sparkFlags[name]:
		default:
			return nil, fmt.Errorf("%s: unrecognized argument %q", tool, a)
		}
	}
	switch {
	case sc.inline != "" && sc.file != "":
		return nil, fmt.Errorf("%s: -e and -f cannot both be given", tool)
	case sc.inline == "" && sc.file == "":
		return nil, fmt.Errorf("%s: a step needs -e <sql> or -f <s3 uri>; an interactive shell cannot run as a step", tool)
	}
	return sc, nil
}

// parseHiveScript parses command-runner.jar's hive-script form:
// hive-script [--run-hive-script] [--base-path P] [--hive-versions V] --args <hive args>.
func parseHiveScript(args []string) (*sqlScript, error) {
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--run-hive-script":
		case "--base-path", "--hive-versions":
			i++
		case "--args":
			return parseSQLArgs("hive", args[i+1:])
		default:
			return nil, fmt.Errorf("hive-script: unrecognized argument %q (expected --run-hive-script --args -f <s3 uri> ...)", args[i])
		}
	}
	return nil, fmt.Errorf("hive-script: missing --args -f <s3 uri>")
}

var varRef = regexp.MustCompile(`\$\{(?:(hivevar|hiveconf|env|system):)?([^}:]+)\}`)

// substitute replaces ${k} and ${hivevar:k} by -d/--hivevar values (then
// --hiveconf values), and ${hiveconf:k} by --hiveconf values, as Hive
// does; unknown references and ${env:...} / ${system:...} stay as they
// are.
func (sc *sqlScript) substitute(sql string) string {
	return varRef.ReplaceAllStringFunc(sql, func(m string) string {
		g := varRef.FindStringSubmatch(m)
		ns, k := g[1], g[2]
		switch ns {
		case "", "hivevar":
			if v, ok := sc.vars[k]; ok {
				return v
			}
			if ns == "" {
				if v, ok := sc.conf[k]; ok {
					return v
				}
			}
		case "hiveconf":
			if v, ok := sc.conf[k]; ok {
				return v
			}
		}
		return m
	})
}

// parseS3 splits s3://bucket/key (also s3n:// and s3a://).
func parseS3(uri string) (bucket, key string, ok bool) {
	for _, p := range []string{"s3://", "s3n://", "s3a://"} {
		if rest, found := strings.CutPrefix(uri, p); found {
			bucket, key, _ = strings.Cut(rest, "/")
			if bucket == "" {
				return "", "", false
			}
			return bucket, key, true
		}
	}
	return "", "", false
}
