// chart-render renders a Helm chart the way `helm template` does, without helm:
// Go text/template with sprig and the Helm functions the groupcall chart uses
// (include, tpl, toYaml, fromYaml, toJson, fromJson, required, lookup, .Files.Get), values
// coalesced from values.yaml and -f files and validated against
// values.schema.json (gojsonschema, as Helm 3 up to 3.17 does).
//
// It prints one JSON document: {"manifests": [{"source", "object"}], "notes", "values"},
// or with -yaml the manifests as YAML documents, as `helm template` would.
// Rendering, schema or YAML errors go to stderr with exit status 1.
//
// Build (GOPATH mode, Debian's Go packages, no module downloads):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o chart-render ./tools/chart-check/render
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"github.com/xeipuuv/gojsonschema"
	"sigs.k8s.io/yaml"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

type manifest struct {
	Source string                 `json:"source"`
	Object map[string]interface{} `json:"object"`
	text   string
}

type output struct {
	Manifests []manifest             `json:"manifests"`
	Notes     string                 `json:"notes"`
	Values    map[string]interface{} `json:"values"`
}

func main() {
	var files valueFiles
	chartDir := flag.String("chart", "charts/groupcall", "chart directory")
	release := flag.String("name", "groupcall", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	kubeVersion := flag.String("kube-version", "v1.30.0", "Kubernetes version in .Capabilities")
	strict := flag.Bool("strict", false, "fail on a missing map key, as `helm lint --strict` does")
	flag.Var(&files, "f", "values file (repeatable; later files win)")
	asYAML := flag.Bool("yaml", false, "print the rendered YAML documents (like `helm template`) instead of JSON")
	yamlToJSON := flag.Bool("yaml-to-json", false, "only convert a multi-document YAML stream on stdin (e.g. `helm template` output) to the same JSON")
	flag.Parse()

	var out *output
	var err error
	if *yamlToJSON {
		out, err = convertStream(os.Stdin)
	} else {
		out, err = render(*chartDir, *release, *namespace, *kubeVersion, *strict, files)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
	if *asYAML {
		for _, m := range out.Manifests {
			fmt.Printf("---\n# Source: %s\n%s\n", m.Source, strings.TrimSpace(m.text))
		}
		return
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

// chartFileSet is Helm's .Files: the chart's non-template files by path.
type chartFileSet map[string][]byte

// Get is .Files.Get: the file's content, or "" when the chart has no such file.
func (f chartFileSet) Get(name string) string { return string(f[name]) }

func readYAMLMap(path string) (map[string]interface{}, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[string]interface{}{}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m == nil {
		m = map[string]interface{}{}
	}
	return m, nil
}

// coalesce merges src into dst like Helm's value files: maps merge
// recursively, anything else replaces, null deletes the key.
func coalesce(dst, src map[string]interface{}) {
	for k, v := range src {
		if v == nil {
			delete(dst, k)
			continue
		}
		if sm, ok := v.(map[string]interface{}); ok {
			if dm, ok := dst[k].(map[string]interface{}); ok {
				coalesce(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
}

func validateSchema(chartDir string, values map[string]interface{}) error {
	schemaPath := filepath.Join(chartDir, "values.schema.json")
	schema, err := os.ReadFile(schemaPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	doc, err := json.Marshal(values)
	if err != nil {
		return err
	}
	result, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewBytesLoader(doc))
	if err != nil {
		return fmt.Errorf("values.schema.json: %w", err)
	}
	if result.Valid() {
		return nil
	}
	var b strings.Builder
	b.WriteString("values don't meet the specifications of the schema(s) in the following chart(s):\n")
	for _, e := range result.Errors() {
		fmt.Fprintf(&b, "- %s\n", e)
	}
	return errors.New(strings.TrimSuffix(b.String(), "\n"))
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func fromYAML(s string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func fromJSON(s string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func required(warn string, val interface{}) (interface{}, error) {
	if val == nil {
		return val, errors.New(warn)
	}
	if s, ok := val.(string); ok && s == "" {
		return val, errors.New(warn)
	}
	return val, nil
}

func render(chartDir, release, namespace, kubeVersion string, strict bool, files []string) (*output, error) {
	chartMeta, err := readYAMLMap(filepath.Join(chartDir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	chartName, _ := chartMeta["name"].(string)
	str := func(k string) string { s, _ := chartMeta[k].(string); return s }
	chart := map[string]interface{}{
		"Name": chartName, "Version": str("version"), "AppVersion": str("appVersion"),
		"Description": str("description"), "Type": str("type"), "KubeVersion": str("kubeVersion"),
		"APIVersion": str("apiVersion"),
	}

	values, err := readYAMLMap(filepath.Join(chartDir, "values.yaml"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		override, err := readYAMLMap(f)
		if err != nil {
			return nil, err
		}
		coalesce(values, override)
	}
	if err := validateSchema(chartDir, values); err != nil {
		return nil, err
	}

	// Every file under templates/ joins one template set, named as Helm names them.
	templatesDir := filepath.Join(chartDir, "templates")
	var names []string
	sources := map[string]string{}
	err = filepath.Walk(templatesDir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(chartDir, path)
		name := filepath.ToSlash(filepath.Join(chartName, rel))
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		names = append(names, name)
		sources[name] = string(data)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)

	t := template.New("gotpl")
	if strict {
		t.Option("missingkey=error")
	} else {
		t.Option("missingkey=zero")
	}
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	for k, v := range map[string]interface{}{
		"toYaml": toYAML, "fromYaml": fromYAML, "toJson": toJSON, "fromJson": fromJSON,
		"required": required,
		"lookup": func(apiVersion, kind, namespace, name string) (map[string]interface{}, error) {
			return map[string]interface{}{}, nil // as `helm template`: no cluster
		},
		"include": func(string, interface{}) (string, error) { return "", errors.New("not initialised") },
		"tpl":     func(string, interface{}) (string, error) { return "", errors.New("not initialised") },
	} {
		funcs[k] = v
	}
	includeDepth := 0
	funcs["include"] = func(name string, data interface{}) (string, error) {
		includeDepth++
		defer func() { includeDepth-- }()
		if includeDepth > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		tt, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", fmt.Errorf("cannot parse template %q: %w", text, err)
		}
		var buf bytes.Buffer
		if err := tt.Execute(&buf, data); err != nil {
			return "", fmt.Errorf("error during tpl function execution for %q: %w", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	t.Funcs(funcs)
	for _, name := range names {
		if _, err := t.New(name).Parse(sources[name]); err != nil {
			return nil, fmt.Errorf("parse error in %s: %w", name, err)
		}
	}

	// .Files: every file of the chart outside templates/, as Helm gives it (Get, by path).
	chartFiles := chartFileSet{}
	err = filepath.Walk(chartDir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() {
			if path == templatesDir {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(chartDir, path)
		data, err := os.ReadFile(path)
		chartFiles[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		return nil, err
	}

	major, minor := "1", "30"
	if m := regexp.MustCompile(`^v?(\d+)\.(\d+)`).FindStringSubmatch(kubeVersion); m != nil {
		major, minor = m[1], m[2]
	}
	top := func(name string) map[string]interface{} {
		return map[string]interface{}{
			"Values": values,
			"Chart":  chart,
			"Release": map[string]interface{}{
				"Name": release, "Namespace": namespace, "Service": "Helm",
				"IsInstall": true, "IsUpgrade": false, "Revision": 1,
			},
			"Capabilities": map[string]interface{}{
				"KubeVersion": map[string]interface{}{"Version": kubeVersion, "Major": major, "Minor": minor, "GitVersion": kubeVersion},
			},
			"Template": map[string]interface{}{"Name": name, "BasePath": chartName + "/templates"},
			"Files":    chartFiles,
		}
	}

	out := &output{Manifests: []manifest{}, Values: values}
	for _, name := range names {
		base := filepath.Base(name)
		if strings.HasPrefix(base, "_") {
			continue
		}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, name, top(name)); err != nil {
			return nil, err
		}
		rendered := strings.ReplaceAll(buf.String(), "<no value>", "")
		if base == "NOTES.txt" {
			out.Notes = rendered
			continue
		}
		if !strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".yml") && !strings.HasSuffix(name, ".tpl") {
			continue
		}
		manifests, err := splitManifests(name, rendered)
		if err != nil {
			return nil, err
		}
		out.Manifests = append(out.Manifests, manifests...)
	}
	return out, nil
}

var separator = regexp.MustCompile(`(?:^|\s*\n)---\s*`)
var sourceComment = regexp.MustCompile(`(?m)^# Source: (\S+)`)

// splitManifests parses a multi-document YAML text as Helm splits it;
// documents that are empty or only comments are dropped. Duplicate keys are
// errors (the API server would reject or silently merge them).
func splitManifests(name, text string) ([]manifest, error) {
	var manifests []manifest
	for i, doc := range separator.Split(text, -1) {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		source := name
		if m := sourceComment.FindStringSubmatch(doc); m != nil {
			source = m[1]
		}
		jsonDoc, err := yaml.YAMLToJSONStrict([]byte(doc))
		if err != nil {
			return nil, fmt.Errorf("YAML parse error in %s (document %d): %w\n%s", source, i, err, numbered(doc))
		}
		if string(jsonDoc) == "null" {
			continue // comments only
		}
		obj := map[string]interface{}{}
		if err := json.Unmarshal(jsonDoc, &obj); err != nil {
			return nil, fmt.Errorf("%s (document %d) is not an object: %w", source, i, err)
		}
		manifests = append(manifests, manifest{Source: source, Object: obj, text: doc})
	}
	return manifests, nil
}

func convertStream(r io.Reader) (*output, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	manifests, err := splitManifests("stdin", string(data))
	if err != nil {
		return nil, err
	}
	return &output{Manifests: manifests}, nil
}

func numbered(doc string) string {
	var b strings.Builder
	for i, line := range strings.Split(doc, "\n") {
		fmt.Fprintf(&b, "%4d | %s\n", i+1, line)
	}
	return b.String()
}
