//! Replays every committed fuzz input (`fuzz/corpus/<protocol>/`, and crashers kept in
//! `fuzz/regressions/<protocol>/`) through the same driver as the fuzz targets: none may panic or
//! break an invariant.

use std::path::Path;

use seer_protocols::fuzz::drive;
use seer_protocols::registry;

#[test]
fn corpus_replays_cleanly() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut replayed = 0;
    for p in registry() {
        for sub in ["corpus", "regressions"] {
            let dir = fuzz.join(sub).join(p.name());
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.filter_map(Result::ok) {
                let data = std::fs::read(entry.path()).expect("read corpus file");
                if let Err(e) = drive(p.as_ref(), &data) {
                    panic!("{}: {e}", entry.path().display());
                }
                replayed += 1;
            }
        }
    }
    assert!(replayed > 0, "no corpus found under {}", fuzz.display());
}
