//! Walks of a [`Ranked`]'s items in order, among all or among one mark's ([`Iter`]): a stack
//! of the nodes still to give, so starting anywhere (a skip ahead to the first row drawn)
//! takes one descent, O(log n), and each step after it little.

use super::{Among, NIL, Ranked};
use std::ops::Deref;

/// A walk of the items a [`Ranked`] has `among`, in order; skipping ahead (`nth`, `skip`)
/// costs O(log n), not a step per item skipped.
pub(crate) struct Iter<'a, T, const M: usize> {
    tree: &'a Ranked<T, M>,
    among: Among,
    /// Nodes still to give, with their right subtrees: the next on top.
    stack: Vec<u32>,
    /// The position of the next item.
    next: usize,
    end: usize,
}

impl<T, const M: usize> Clone for Iter<'_, T, M> {
    fn clone(&self) -> Self {
        Iter {
            tree: self.tree,
            among: self.among,
            stack: self.stack.clone(),
            next: self.next,
            end: self.end,
        }
    }
}

impl<'a, T, const M: usize> Iter<'a, T, M> {
    /// A walk of `tree`'s items `among`, from the first.
    pub(super) fn new(tree: &'a Ranked<T, M>, among: Among) -> Self {
        let mut walk = Iter {
            tree,
            among,
            stack: Vec::new(),
            next: 0,
            end: tree.len(among),
        };
        walk.seek(0);
        walk
    }

    /// Makes the item at `index` the next.
    pub(super) fn seek(&mut self, index: usize) {
        self.stack.clear();
        self.next = index.min(self.end);
        if index >= self.end {
            return;
        }
        let (tree, among) = (self.tree, self.among);
        let mut t = tree.root;
        let mut i = index;
        while t != NIL {
            let left = tree.count(tree.left(t), among);
            if i < left {
                self.stack.push(t);
                t = tree.left(t);
                continue;
            }
            i -= left;
            if among.takes(tree.marks(t)) {
                if i == 0 {
                    self.stack.push(t);
                    return;
                }
                i -= 1;
            }
            t = tree.right(t);
        }
    }

    /// Stacks `t` and its left spine, down to the first subtree with nothing `among`.
    fn descend(&mut self, mut t: u32) {
        while self.tree.count(t, self.among) > 0 {
            self.stack.push(t);
            t = self.tree.left(t);
        }
    }
}

impl<'a, T, const M: usize> Iterator for Iter<'a, T, M> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        let tree = self.tree;
        while let Some(t) = self.stack.pop() {
            self.descend(tree.right(t));
            if self.among.takes(tree.marks(t)) {
                self.next += 1;
                return tree.item(t);
            }
        }
        None
    }

    fn nth(&mut self, n: usize) -> Option<&'a T> {
        self.seek(self.next.saturating_add(n));
        self.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.end.saturating_sub(self.next);
        (left, Some(left))
    }
}

impl<T, const M: usize> ExactSizeIterator for Iter<'_, T, M> {}

impl<'a, T, const M: usize> Iter<'a, T, M> {
    /// The walk giving what each item points to (as `map(|t| &**t)` would, keeping the skip
    /// ahead: `Map` steps through every item skipped).
    pub(crate) fn targets(self) -> Targets<'a, T, M> {
        Targets(self)
    }
}

/// A walk of what the items point to (see [`Iter::targets`]).
pub(crate) struct Targets<'a, T, const M: usize>(Iter<'a, T, M>);

impl<T, const M: usize> Clone for Targets<'_, T, M> {
    fn clone(&self) -> Self {
        Targets(self.0.clone())
    }
}

impl<'a, T: Deref, const M: usize> Iterator for Targets<'a, T, M> {
    type Item = &'a T::Target;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|t| &**t)
    }

    fn nth(&mut self, n: usize) -> Option<Self::Item> {
        self.0.nth(n).map(|t| &**t)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<T: Deref, const M: usize> ExactSizeIterator for Targets<'_, T, M> {}
