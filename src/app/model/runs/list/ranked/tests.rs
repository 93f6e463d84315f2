//! [`Ranked`] against a sorted vector: after random inserts, removals, new marks and builds,
//! every walk (whole, or from any position), every position and every item at a position,
//! among all items and among each mark's, is what the vector says.

use super::*;
use proptest::prelude::*;

/// The order the tests keep: greatest first (not `Ord`'s, so the comparison given is used).
fn cmp(a: &u16, b: &u16) -> Ordering {
    b.cmp(a)
}

#[derive(Debug, Clone)]
enum Op {
    Insert(u16, u8),
    Remove(u16),
    /// Every item gets marks from its value: `(v * k) % 4`.
    Remark(u16),
    /// Built again from what the model holds, with marks `v % 4`.
    Build,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..200u16, 0..4u8).prop_map(|(v, m)| Op::Insert(v, m)),
        3 => (0..200u16).prop_map(Op::Remove),
        1 => (1..7u16).prop_map(Op::Remark),
        1 => Just(Op::Build),
    ]
}

/// The model: items in the tree's order, with their marks.
fn check(tree: &Ranked<u16, 2>, model: &[(u16, u8)], from: usize) {
    for among in [Among::All, Among::Marked(0), Among::Marked(1)] {
        let want: Vec<u16> = model
            .iter()
            .filter(|(_, m)| among.takes(*m))
            .map(|(v, _)| *v)
            .collect();
        assert_eq!(tree.len(among), want.len(), "{among:?}");
        let walk = tree.iter(among);
        assert_eq!(walk.len(), want.len());
        assert_eq!(walk.copied().collect::<Vec<_>>(), want, "{among:?}");
        for (i, v) in want.iter().enumerate() {
            assert_eq!(tree.at(among, i), Some(v), "at {i} {among:?}");
            assert_eq!(tree.position(v, among, &cmp), Some(i), "{v} {among:?}");
        }
        assert_eq!(tree.at(among, want.len()), None);
        // A walk skipped ahead, then stepped, then skipped again.
        let start = from % (want.len() + 2);
        let mut walk = tree.iter(among).skip(start);
        let rest: Vec<u16> = want.iter().skip(start).copied().collect();
        assert_eq!(walk.len(), rest.len());
        assert_eq!(walk.next(), rest.first());
        assert_eq!(walk.nth(2), rest.get(3));
        assert_eq!(walk.len(), rest.len().saturating_sub(4));
    }
    for (v, m) in model {
        if m & 1 == 0 {
            assert_eq!(tree.position(v, Among::Marked(0), &cmp), None);
        }
    }
    assert_eq!(tree.position(&999, Among::All, &cmp), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn it_says_what_a_sorted_vector_says(
        ops in proptest::collection::vec(op(), 1..120),
        from in 0..300usize,
    ) {
        let mut tree: Ranked<u16, 2> = Ranked::default();
        let mut model: Vec<(u16, u8)> = Vec::new();
        for op in ops {
            match op {
                Op::Insert(v, m) => {
                    if let Err(i) = model.binary_search_by(|(x, _)| cmp(x, &v)) {
                        model.insert(i, (v, m));
                        tree.insert(v, m, &cmp);
                    }
                }
                Op::Remove(v) => {
                    let want = model
                        .binary_search_by(|(x, _)| cmp(x, &v))
                        .ok()
                        .map(|i| model.remove(i));
                    prop_assert_eq!(tree.remove(&v, &cmp), want);
                }
                Op::Remark(k) => {
                    let marks = |v: &u16| u8::try_from((v * k) % 4).unwrap();
                    tree.remark(marks);
                    for (v, m) in &mut model {
                        *m = marks(v);
                    }
                }
                Op::Build => {
                    for (v, m) in &mut model {
                        *m = u8::try_from(*v % 4).unwrap();
                    }
                    tree.build(model.clone());
                }
            }
            check(&tree, &model, from);
        }
    }
}

/// Items added in order, as a history arrives, and taken from the front, as runs move: the
/// tree stays shallow (a path of thousands would be a list).
#[test]
fn items_added_in_order_keep_it_shallow() {
    let mut tree: Ranked<u16, 2> = Ranked::default();
    tree.build((0..1000u16).rev().map(|v| (v, 1)).collect());
    for v in 1000..20_000u16 {
        tree.insert(v, 3, &cmp);
    }
    for v in (0..500u16).rev() {
        assert_eq!(tree.remove(&v, &cmp), Some((v, 1)));
    }
    fn depth(tree: &Ranked<u16, 2>, t: u32) -> usize {
        if t == NIL {
            return 0;
        }
        1 + depth(tree, tree.left(t)).max(depth(tree, tree.right(t)))
    }
    let d = depth(&tree, tree.root);
    assert!(d < 80, "depth {d} for {} items", tree.len(Among::All));
    assert_eq!(tree.len(Among::Marked(1)), 19_000);
    assert_eq!(tree.at(Among::All, 0), Some(&19_999));
}

/// A row of the Runs list (a shared run, two marks) takes 32 bytes.
#[test]
fn a_node_of_two_marks_takes_32_bytes() {
    assert_eq!(std::mem::size_of::<Node<std::sync::Arc<()>, 2>>(), 32);
}
