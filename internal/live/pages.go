package live

import (
	"errors"
	"fmt"
)

// Pages reads a list that Datadog serves a page at a time, at the
// endpoint's own page size: fetch reads page n (from 0) of size objects
// (an endpoint that takes an offset is given n*size). The list ends at the
// first page that comes back short. It stops with an error, naming the
// endpoint, when a call fails, when the list passes the Reader's bound
// (Options.MaxObjects), or when a full page brings fewer than half its
// objects not seen before: an endpoint that ignores its page parameter,
// or repeats most of each page, would otherwise be read for as long as it
// likes (a list that changes while it is read repeats a few). id
// identifies an object ("" for none).
func Pages[T any](r *Reader, endpoint string, size int, id func(T) string, fetch func(page int) ([]T, error)) ([]T, error) {
	var out []T
	seen := map[string]bool{}
	for page := 0; ; page++ {
		if err := r.ctx.Err(); err != nil {
			return nil, err
		}
		items, err := fetch(page)
		if err != nil {
			return nil, Wrap(endpoint, err)
		}
		fresh := 0
		for _, it := range items {
			if k := id(it); k != "" {
				if seen[k] {
					continue
				}
				seen[k] = true
			}
			fresh++
			out = append(out, it)
		}
		switch {
		case len(out) > r.max:
			return nil, &EndpointError{Endpoint: endpoint, Err: fmt.Errorf("lists more than %d objects; ddstack audit reads at most that many of a type", r.max)}
		case len(items) < size:
			return out, nil
		case fresh*2 < size:
			return nil, &EndpointError{Endpoint: endpoint, Err: errors.New("answered a page mostly of objects it had listed already: it ignores the page asked for, and the list cannot be read to its end")}
		}
	}
}

// List is what a type's list function found.
type List struct {
	Objects []Object
	// Partial says, when not empty, why Objects may not be all that
	// Datadog has of the type (Datadog has no endpoint that lists
	// webhooks, nor Slack accounts): what was not read cannot be reported
	// as unmanaged.
	Partial string
	// Covers, for a partial list, says whether an id was among those read
	// (a webhook's name asked for, a channel of an account read): an id it
	// does not cover is not missing for being absent. Nil covers every id.
	Covers func(id string) bool
}
