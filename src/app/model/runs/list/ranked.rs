//! An ordered sequence with positions ([`Ranked`]), which the Runs list keeps its rows in: a
//! treap (a binary search tree kept balanced by random priorities) whose every node counts the
//! items below it, all of them and those carrying each of `M` marks (for the list: shown,
//! unfinished). So adding or removing an item, the position of an item and the item at a
//! position, among all items or among the marked ones, each take O(log n), and a walk of the
//! marked items starts anywhere in O(log n). A run that moves costs that, never a shift of the
//! rows it passes. The order is the caller's comparison, given on each call (the list's order
//! can change): it must be total, and the same for the life of the contents ([`Ranked::build`]
//! starts again for a new order). Nodes live in one vector, linked by index, freed slots reused.

use std::cmp::Ordering;

mod walk;

pub(super) use walk::Iter;

/// No node.
const NIL: u32 = u32::MAX;

/// Which items a count, a position or a walk is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Among {
    /// Every item.
    All,
    /// The items carrying mark `k` (below `M`).
    Marked(usize),
}

impl Among {
    fn takes(self, marks: u8) -> bool {
        match self {
            Among::All => true,
            Among::Marked(k) => marks & (1 << k) != 0,
        }
    }
}

#[derive(Debug)]
struct Node<T, const M: usize> {
    /// `None` for a free slot.
    item: Option<T>,
    left: u32,
    right: u32,
    /// The priority (high 24 bits) and the marks (low 8: bit `k`, the item carries mark `k`),
    /// in one word so a node of two marks takes 32 bytes.
    prio_marks: u32,
    /// Items in this subtree.
    all: u32,
    /// Items in this subtree carrying each mark.
    marked: [u32; M],
}

/// Items in the caller's order, each with up to `M` marks (at most 8), counted per subtree.
#[derive(Debug)]
pub(super) struct Ranked<T, const M: usize> {
    nodes: Vec<Node<T, M>>,
    free: Vec<u32>,
    root: u32,
    /// The priorities' generator (splitmix64, fixed seed: the same steps build the same tree).
    seed: u64,
}

impl<T, const M: usize> Default for Ranked<T, M> {
    fn default() -> Self {
        Ranked {
            nodes: Vec::new(),
            free: Vec::new(),
            root: NIL,
            seed: 0x9E37_79B9_7F4A_7C15,
        }
    }
}

impl<T, const M: usize> Ranked<T, M> {
    fn node(&self, t: u32) -> Option<&Node<T, M>> {
        self.nodes.get(usize::try_from(t).ok()?)
    }

    fn node_mut(&mut self, t: u32) -> &mut Node<T, M> {
        &mut self.nodes[t as usize]
    }

    fn item(&self, t: u32) -> Option<&T> {
        self.node(t)?.item.as_ref()
    }

    fn left(&self, t: u32) -> u32 {
        self.node(t).map_or(NIL, |n| n.left)
    }

    fn right(&self, t: u32) -> u32 {
        self.node(t).map_or(NIL, |n| n.right)
    }

    fn prio(&self, t: u32) -> u32 {
        self.node(t).map_or(0, |n| n.prio_marks >> 8)
    }

    fn marks(&self, t: u32) -> u8 {
        self.node(t).map_or(0, |n| n.prio_marks.to_le_bytes()[0])
    }

    fn set_marks(node: &mut Node<T, M>, marks: u8) {
        node.prio_marks = (node.prio_marks & !0xFF) | u32::from(marks);
    }

    fn set_prio(node: &mut Node<T, M>, prio: u32) {
        node.prio_marks = (prio << 8) | (node.prio_marks & 0xFF);
    }

    /// How many items of subtree `t` `among` takes.
    fn count(&self, t: u32, among: Among) -> usize {
        self.node(t).map_or(0, |n| match among {
            Among::All => n.all as usize,
            Among::Marked(k) => n.marked[k] as usize,
        })
    }

    /// Counts node `t` again from its children.
    fn pull(&mut self, t: u32) {
        let (l, r, marks) = (self.left(t), self.right(t), self.marks(t));
        let mut all = 1;
        let mut marked = [0u32; M];
        for (k, m) in marked.iter_mut().enumerate() {
            *m = u32::from(marks & (1 << k) != 0);
        }
        for c in [l, r] {
            if let Some(n) = self.node(c) {
                all += n.all;
                for (m, below) in marked.iter_mut().zip(n.marked) {
                    *m += below;
                }
            }
        }
        let n = self.node_mut(t);
        n.all = all;
        n.marked = marked;
    }

    fn next_prio(&mut self) -> u32 {
        self.seed = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        // The high 24 bits of the mixed word.
        u32::try_from((z ^ (z >> 31)) >> 40).unwrap_or(0)
    }

    /// A node for `item`, alone.
    fn alloc(&mut self, item: T, marks: u8, prio: u32) -> u32 {
        let node = Node {
            item: Some(item),
            left: NIL,
            right: NIL,
            prio_marks: (prio << 8) | u32::from(marks),
            all: 0,
            marked: [0; M],
        };
        let t = match self.free.pop() {
            Some(t) => {
                *self.node_mut(t) = node;
                t
            }
            None => {
                self.nodes.push(node);
                u32::try_from(self.nodes.len() - 1).unwrap_or(NIL)
            }
        };
        self.pull(t);
        t
    }

    /// How many items there are `among`.
    pub(super) fn len(&self, among: Among) -> usize {
        self.count(self.root, among)
    }

    /// Empties it and puts in `items`, already in order, each with its marks, in O(n).
    pub(super) fn build(&mut self, items: Vec<(T, u8)>) {
        self.nodes.clear();
        self.nodes.reserve(items.len());
        self.free.clear();
        let mut prios: Vec<u32> = (0..items.len()).map(|_| self.next_prio()).collect();
        prios.sort_unstable_by(|a, b| b.cmp(a));
        for (item, marks) in items {
            self.alloc(item, marks, 0);
        }
        self.root = self.link(0, self.nodes.len());
        // The highest priorities nearest the root (level by level), as the heap order wants.
        let mut level = std::collections::VecDeque::from([self.root]);
        let mut prios = prios.into_iter();
        while let Some(t) = level.pop_front() {
            if t == NIL {
                continue;
            }
            let p = prios.next().unwrap_or(0);
            Self::set_prio(self.node_mut(t), p);
            level.extend([self.left(t), self.right(t)]);
        }
    }

    /// Links the nodes `from..to` (consecutive, in order) into a balanced subtree.
    fn link(&mut self, from: usize, to: usize) -> u32 {
        if from >= to {
            return NIL;
        }
        let mid = from + (to - from) / 2;
        let (l, r) = (self.link(from, mid), self.link(mid + 1, to));
        let t = u32::try_from(mid).unwrap_or(NIL);
        let n = self.node_mut(t);
        n.left = l;
        n.right = r;
        self.pull(t);
        t
    }

    /// Gives every item the marks `marks` says, in O(n).
    pub(super) fn remark(&mut self, mut marks: impl FnMut(&T) -> u8) {
        for n in &mut self.nodes {
            if let Some(item) = &n.item {
                let m = marks(item);
                Self::set_marks(n, m);
            }
        }
        self.recount(self.root);
    }

    fn recount(&mut self, t: u32) {
        if t == NIL {
            return;
        }
        self.recount(self.left(t));
        self.recount(self.right(t));
        self.pull(t);
    }

    /// Splits subtree `t` into the items before `key` and the rest.
    fn split(&mut self, t: u32, key: &T, cmp: &impl Fn(&T, &T) -> Ordering) -> (u32, u32) {
        let Some(item) = self.item(t) else {
            return (NIL, NIL);
        };
        if cmp(item, key) == Ordering::Less {
            let (a, b) = self.split(self.right(t), key, cmp);
            self.node_mut(t).right = a;
            self.pull(t);
            (t, b)
        } else {
            let (a, b) = self.split(self.left(t), key, cmp);
            self.node_mut(t).left = b;
            self.pull(t);
            (a, t)
        }
    }

    /// Joins `a` and `b`, every item of `a` before every item of `b`.
    fn merge(&mut self, a: u32, b: u32) -> u32 {
        if a == NIL {
            return b;
        }
        if b == NIL {
            return a;
        }
        if self.prio(a) > self.prio(b) {
            let m = self.merge(self.right(a), b);
            self.node_mut(a).right = m;
            self.pull(a);
            a
        } else {
            let m = self.merge(a, self.left(b));
            self.node_mut(b).left = m;
            self.pull(b);
            b
        }
    }

    /// Puts `item` in its place with `marks` (an item equal to it must not be there).
    pub(super) fn insert(&mut self, item: T, marks: u8, cmp: &impl Fn(&T, &T) -> Ordering) {
        let prio = self.next_prio();
        self.root = self.insert_at(self.root, item, marks, prio, cmp);
    }

    fn insert_at(
        &mut self,
        t: u32,
        item: T,
        marks: u8,
        prio: u32,
        cmp: &impl Fn(&T, &T) -> Ordering,
    ) -> u32 {
        let Some(here) = self.item(t).filter(|_| self.prio(t) >= prio) else {
            let (l, r) = self.split(t, &item, cmp);
            let n = self.alloc(item, marks, prio);
            let node = self.node_mut(n);
            node.left = l;
            node.right = r;
            self.pull(n);
            return n;
        };
        if cmp(&item, here) == Ordering::Less {
            let l = self.insert_at(self.left(t), item, marks, prio, cmp);
            self.node_mut(t).left = l;
        } else {
            let r = self.insert_at(self.right(t), item, marks, prio, cmp);
            self.node_mut(t).right = r;
        }
        self.pull(t);
        t
    }

    /// Takes out the item equal to `key`, with its marks.
    pub(super) fn remove(&mut self, key: &T, cmp: &impl Fn(&T, &T) -> Ordering) -> Option<(T, u8)> {
        let (root, taken) = self.remove_at(self.root, key, cmp);
        self.root = root;
        taken
    }

    fn remove_at(
        &mut self,
        t: u32,
        key: &T,
        cmp: &impl Fn(&T, &T) -> Ordering,
    ) -> (u32, Option<(T, u8)>) {
        let Some(here) = self.item(t) else {
            return (NIL, None);
        };
        match cmp(key, here) {
            Ordering::Equal => {
                let rest = self.merge(self.left(t), self.right(t));
                let n = self.node_mut(t);
                let m = n.prio_marks.to_le_bytes()[0];
                let taken = n.item.take().map(|item| (item, m));
                self.free.push(t);
                (rest, taken)
            }
            Ordering::Less => {
                let (l, taken) = self.remove_at(self.left(t), key, cmp);
                self.node_mut(t).left = l;
                self.pull(t);
                (t, taken)
            }
            Ordering::Greater => {
                let (r, taken) = self.remove_at(self.right(t), key, cmp);
                self.node_mut(t).right = r;
                self.pull(t);
                (t, taken)
            }
        }
    }

    /// The position `among` of the item equal to `key`, if it is there and `among` takes it.
    pub(super) fn position(
        &self,
        key: &T,
        among: Among,
        cmp: &impl Fn(&T, &T) -> Ordering,
    ) -> Option<usize> {
        let mut t = self.root;
        let mut before = 0;
        loop {
            let here = self.item(t)?;
            match cmp(key, here) {
                Ordering::Less => t = self.left(t),
                Ordering::Equal => {
                    return among
                        .takes(self.marks(t))
                        .then(|| before + self.count(self.left(t), among));
                }
                Ordering::Greater => {
                    before +=
                        self.count(self.left(t), among) + usize::from(among.takes(self.marks(t)));
                    t = self.right(t);
                }
            }
        }
    }

    /// The item at `index` `among`.
    pub(super) fn at(&self, among: Among, index: usize) -> Option<&T> {
        let mut walk = self.iter(among);
        walk.seek(index);
        walk.next()
    }

    /// The items `among`, in order.
    pub(super) fn iter(&self, among: Among) -> Iter<'_, T, M> {
        Iter::new(self, among)
    }
}

#[cfg(test)]
mod tests;
