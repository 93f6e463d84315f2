//! Other hosts' beads: each stands as its host judged it (the host runs the same code on its
//! own store and clock), so what needs attention on any host counts in the header, is listed
//! by `i`, is announced once per situation, named with its host (`gpu1:wa-1`), and is
//! acknowledged like this machine's. Only beads that need a look are remembered; one that is
//! fine again, or gone, is forgotten with its announcements kept a while.

use super::{Item, Label, Observer, Seen, made::condition_event, recount};
use crate::events::Event;
use crate::present::attention::{Condition, Level};
use chrono::{DateTime, Utc};

/// What a host said of one of its beads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostBead {
    /// How it is named, its host in front: `gpu1:wa-1`.
    pub name: String,
    /// The session there.
    pub session: String,
    /// Its status there, as the host's store writes it.
    pub state: String,
}

impl HostBead {
    fn label(&self, item: &Item) -> Label {
        let bead = match item {
            Item::HostBead { bead, .. } => bead.as_str(),
            _ => "",
        };
        Label {
            id: format!("{}/{bead}", self.session),
            name: self.name.clone(),
            state: self.state.clone(),
            session: Some(self.session.clone()),
            repo: None,
        }
    }
}

impl Observer {
    /// Looks at another host's bead `item` (an [`Item::HostBead`]) as its host judged it
    /// (`None`: the host no longer has it). With `announce` false, what it finds is shown
    /// but is no news (a host's first snapshot: it was there before anyone looked).
    pub fn host_bead(
        &mut self,
        item: &Item,
        said: Option<(HostBead, Condition)>,
        at: DateTime<Utc>,
        announce: bool,
    ) -> Vec<Event> {
        let before = self.hosts.remove(item);
        if let Some(b) = &before {
            recount(&mut self.counting, b.counts(), false);
        }
        let Some((record, condition)) = said else {
            if let Some(gone) = before {
                self.forgotten.remember(item.clone(), gone.announced);
            }
            return Vec::new();
        };
        let (before_condition, acknowledged, mut announced) = match before {
            Some(b) => (Some(b.condition), b.acknowledged, b.announced),
            None => (
                None,
                self.take_restored(item, &condition),
                self.forgotten.take(item),
            ),
        };
        if !announce && condition.level != Level::Fine {
            announced.announce(&condition.key);
        }
        let label = record.label(item);
        let event = condition_event(
            item,
            label,
            before_condition.as_ref(),
            &condition,
            at,
            &mut announced,
        );
        if condition.level == Level::Fine {
            self.forgotten.remember(item.clone(), announced);
        } else {
            let seen = Seen {
                record,
                condition,
                acknowledged,
                announced,
            };
            recount(&mut self.counting, false, seen.counts());
            self.hosts.insert(item.clone(), Box::new(seen));
        }
        event.into_iter().collect()
    }

    /// Forgets the beads of `host` that `keep` leaves out (its snapshot after a reconnection
    /// says all it has; their announcements are kept a while, so none is announced twice).
    pub fn forget_host_beads(&mut self, host: &str, keep: impl Fn(&Item) -> bool) {
        let gone: Vec<Item> = self
            .hosts
            .keys()
            .filter(|i| matches!(i, Item::HostBead { host: h, .. } if h == host) && !keep(i))
            .cloned()
            .collect();
        for item in gone {
            if let Some(gone) = self.hosts.remove(&item) {
                recount(&mut self.counting, gone.counts(), false);
                self.forgotten.remember(item, gone.announced);
            }
        }
    }

    /// Another host's bead as last seen: how it is named and its condition.
    pub(super) fn host_bead_seen(&self, item: &Item) -> Option<&Seen<HostBead>> {
        self.hosts.get(item).map(|s| &**s)
    }
}
