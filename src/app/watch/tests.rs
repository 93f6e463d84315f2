//! How changed paths are classified.

use super::*;

#[test]
fn classifies_paths() {
    let c = Classifier::new(Path::new("/ap"), Path::new("/ntm"));
    let run = PathBuf::from("/ap/runs/abc/3");
    assert_eq!(
        c.classify(Path::new("/ap/runs/abc/3/manifest.json")),
        Some(Change::Run(run.clone()))
    );
    assert_eq!(
        c.classify(Path::new("/ap/runs/abc/3/transcript.jsonl")),
        Some(Change::Transcript(run.clone()))
    );
    assert_eq!(
        c.classify(Path::new("/ap/runs/abc/3/bridge.jsonl")),
        Some(Change::RunActivity(run.clone()))
    );
    assert_eq!(
        c.classify(Path::new("/ap/runs/abc/3")),
        Some(Change::Run(run))
    );
    assert_eq!(
        c.classify(Path::new("/ap/runs/abc/3/.manifest.json.x1.tmp")),
        None
    );
    assert_eq!(c.classify(Path::new("/ap/runs/abc")), Some(Change::Runs));
    assert_eq!(
        c.classify(Path::new("/ntm/sessions/web/assignments.json")),
        Some(Change::Store("web".into()))
    );
    assert_eq!(
        c.classify(Path::new("/ntm/sessions/web/assignments.json.bak")),
        Some(Change::Store("web".into()))
    );
    assert_eq!(
        c.classify(Path::new("/ntm/sessions/web/assignments.json.lock")),
        None
    );
    assert_eq!(
        c.classify(Path::new("/ntm/sessions/web/assignments.history.jsonl")),
        Some(Change::History("web".into()))
    );
    assert_eq!(
        c.classify(Path::new("/ntm/sessions/web")),
        Some(Change::Sessions)
    );
    assert_eq!(c.classify(Path::new("/ntm")), Some(Change::Roots));
    assert_eq!(c.classify(Path::new("/elsewhere/file")), None);
}
