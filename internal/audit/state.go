package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
	"github.com/pytorch-fdn/pytorch-datadog/program"
)

// Managed are the Datadog ids of what the Pulumi state manages, by section
// and config key (a resource's logical name is its key). An entry the
// state holds is adopted already, importId or not: once adopted, an
// importId may be dropped (README), and an entry the stack created never
// had one.
type Managed map[string]map[string]string

// ReadState reads the output of `pulumi stack export` (the stack's
// deployment, secrets left encrypted): each resource of a type of the
// registry, by its URN's name, with its id.
func ReadState(data []byte) (Managed, error) {
	var doc struct {
		Deployment *struct {
			Resources []struct {
				URN  string `json:"urn"`
				Type string `json:"type"`
				ID   string `json:"id"`
			} `json:"resources"`
		} `json:"deployment"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("is not the JSON of pulumi stack export: %v", err)
	}
	if dec.More() {
		return nil, errors.New("is not the JSON of pulumi stack export: something follows its one JSON object")
	}
	if doc.Deployment == nil {
		return nil, errors.New("has no deployment: give the output of pulumi stack export --stack prod")
	}
	sections := map[string]string{}
	for _, t := range program.Types {
		sections[t.Token] = t.Section
		for token := range t.Others {
			sections[token] = t.Section
		}
	}
	out := Managed{}
	project := "::" + kit.Namespace + "::"
	for _, r := range doc.Deployment.Resources {
		section, ok := sections[r.Type]
		if !ok || r.ID == "" || !strings.Contains(r.URN, project) {
			continue
		}
		name := r.URN[strings.LastIndex(r.URN, "::")+2:]
		if out[section] == nil {
			out[section] = map[string]string{}
		}
		out[section][name] = r.ID
	}
	if len(out) == 0 && len(doc.Deployment.Resources) > 0 {
		return nil, fmt.Errorf("holds no Datadog resource of project %s: is it the export of another project's stack?", kit.Namespace)
	}
	return out, nil
}
