// Package teams manages the Datadog teams of the stack config
// (`pytorch-datadog:teams`): their config, its decoding and validation
// (handles, and members resolved against the managed users), one
// datadog.Team per config key, and one datadog.TeamMembership per member,
// so that onboarding a vendor's engineer can put them in their company's
// team in the same edit that adds them as a user.
package teams

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-datadog/sdk/v4/go/datadog"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	kit "github.com/pytorch-fdn/pytorch-datadog/internal/configkit"
)

// Token is the Pulumi type the teams register as.
const Token = "datadog:index/team:Team"

// MembershipToken is the Pulumi type the teams' memberships register as.
const MembershipToken = "datadog:index/teamMembership:TeamMembership"

// MembershipName is the logical name of a member's membership of a team:
// `<team-key>.<user-key>`. Config keys hold no dots, so it names one pair.
func MembershipName(team, user string) string { return team + "." + user }

// New registers one datadog.Team per config key, in sorted key order, each
// named by its key, then one datadog.TeamMembership per member of each
// team, in sorted team and user key order, each named MembershipName. A
// membership takes its team's and its user's ids from their resources
// (users, by user key), so it depends on both and a first deployment on an
// empty organisation works. Every member is checked to be registered
// before anything is; those that are not are reported together. The
// provider option applies to every team and membership. New returns the
// teams by key.
func New(ctx *pulumi.Context, teams map[string]Team, users map[string]*datadog.User, provider pulumi.ResourceOrInvokeOption) (map[string]*datadog.Team, error) {
	keys := kit.SortedKeys(teams)
	var errs []error
	for _, key := range keys {
		for i, member := range teams[key].Members {
			if _, ok := users[member]; !ok {
				errs = append(errs, fmt.Errorf("%s.%s.members[%d]: user %q was not registered", Section, key, i, member))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	out := map[string]*datadog.Team{}
	for _, key := range keys {
		t := teams[key]
		team, err := datadog.NewTeam(ctx, key, &datadog.TeamArgs{
			Name:        pulumi.String(t.Name),
			Handle:      pulumi.String(t.Handle),
			Description: pulumi.String(t.Description),
		}, kit.WithImport(t.ImportID, provider)...)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", Section, key, err)
		}
		out[key] = team
	}
	for _, key := range keys {
		for _, member := range kit.SortedKeys(memberSet(teams[key].Members)) {
			// No role: a plain member. Datadog's other role (admin) lets a
			// member manage the team, which the config owns.
			_, err := datadog.NewTeamMembership(ctx, MembershipName(key, member), &datadog.TeamMembershipArgs{
				TeamId: out[key].ID().ToStringOutput(),
				UserId: users[member].ID().ToStringOutput(),
			}, provider)
			if err != nil {
				return nil, fmt.Errorf("%s.%s: membership of %s: %w", Section, key, member, err)
			}
		}
	}
	return out, nil
}

func memberSet(members []string) map[string]bool {
	set := map[string]bool{}
	for _, m := range members {
		set[m] = true
	}
	return set
}
