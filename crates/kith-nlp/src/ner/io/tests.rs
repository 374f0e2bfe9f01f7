//! Model files: round trips, compatibility with older files, and refusals of damaged,
//! foreign and wrongly nested ones.

use crate::model::format::Writer;
use crate::model::format::FORMAT_VERSION;
use crate::model::{ModelError, ModelFile, WeightsKind};
use crate::ner::labels::N_LABELS;
use crate::ner::tests::{
    came_docs, config, corpus, lexicon, stack_names, stacked_pair, tmp, voting_members,
};
use crate::ner::*;
use std::path::Path;

#[test]
fn round_trip_gives_same_predictions_and_bytes() {
    let model = NerModel::train(&corpus(), None, &config());
    let path = tmp("round.kmodel");
    model.save(&path).unwrap();
    let loaded = NerModel::load(&path).unwrap();
    let doc = vec![
        vec!["Anna", "Berg", "visited", "the", "Brask", "Institute", "."],
        vec!["Berg", "praised", "Varnholm", "."],
    ];
    assert_eq!(model.tag_document(&doc), loaded.tag_document(&doc));
    assert_eq!(model.to_bytes(), loaded.to_bytes());
    assert_eq!(std::fs::read(&path).unwrap(), loaded.to_bytes());
}

#[test]
fn refuses_wrong_kind_version_and_truncation() {
    let model = NerModel::train(&corpus(), None, &config());
    let bytes = model.to_bytes();
    let name = Path::new("models/ner-test.kmodel");
    // Wrong kind.
    let mut file = model.to_model_file();
    file.kind = "pos".into();
    let err = NerModel::from_bytes(&file.to_bytes(), name).unwrap_err();
    assert!(matches!(err, ModelError::Kind { .. }), "{err}");
    assert!(err.to_string().contains("ner-test.kmodel"), "{err}");
    // Wrong version.
    let mut v = bytes.clone();
    v[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let err = NerModel::from_bytes(&v, name).unwrap_err();
    assert!(matches!(err, ModelError::Version { .. }), "{err}");
    // Truncated anywhere.
    for cut in [
        0,
        7,
        12,
        40,
        bytes.len() / 3,
        bytes.len() - 9,
        bytes.len() - 1,
    ] {
        assert!(
            NerModel::from_bytes(&bytes[..cut], name).is_err(),
            "cut at {cut}"
        );
    }
    // Corrupt section contents with a valid checksum: rebuilt through ModelFile.
    let mut file = model.to_model_file();
    for (n, b) in &mut file.sections {
        if n == "pass1" {
            b.truncate(b.len() / 2);
        }
    }
    let err = NerModel::from_bytes(&file.to_bytes(), name).unwrap_err();
    assert!(err.to_string().contains("ner-test.kmodel"), "{err}");
}

#[test]
fn lexicon_round_trips_through_the_model_file() {
    let cfg = NerTrainConfig {
        lexicon: Some(lexicon()),
        ..config()
    };
    let model = NerModel::train(&corpus(), None, &cfg);
    assert!(model.meta().features.lexicons);
    assert_eq!(
        model.meta().lexicons,
        [("place".to_string(), 4), ("first".to_string(), 4)]
    );
    let file = model.to_model_file();
    assert!(file.sections.iter().any(|(n, _)| n == "lexicon"));
    // A file with a lexicon is version 2: a build that would ignore the section refuses it.
    assert_eq!(file.version(), 2);
    let bytes = model.to_bytes();
    assert_eq!(bytes[8..12], 2u32.to_le_bytes());
    let loaded = NerModel::from_bytes(&bytes, Path::new("lex.kmodel")).unwrap();
    assert_eq!(loaded.to_bytes(), bytes);
    let doc = vec![
        vec!["Teodor", "Lind", "flew", "to", "Port", "Sallow", "."],
        vec!["Drelby", "praised", "Anna", "."],
    ];
    assert_eq!(model.tag_document(&doc), loaded.tag_document(&doc));
    // Training with a lexicon is deterministic too.
    assert_eq!(NerModel::train(&corpus(), None, &cfg).to_bytes(), bytes);
}

#[test]
fn a_model_file_without_lexicons_is_version_1_and_old_metadata_loads() {
    let model = NerModel::train(&corpus(), None, &config());
    let mut file = model.to_model_file();
    assert_eq!(file.version(), 1);
    assert!(file.sections.iter().all(|(n, _)| n != "lexicon"));
    // Metadata as written before lexicons existed: no `lexicons` switch, no list summary.
    file.meta["features"]
        .as_object_mut()
        .unwrap()
        .remove("lexicons");
    assert!(file.meta.get("lexicons").is_none());
    let old = file.to_bytes();
    assert_eq!(old[8..12], 1u32.to_le_bytes());
    let loaded = NerModel::from_bytes(&old, Path::new("old.kmodel")).unwrap();
    let doc = vec![vec![
        "Anna",
        "Berg",
        "visited",
        "the",
        "Brask",
        "Institute",
        ".",
    ]];
    assert_eq!(loaded.tag_document(&doc), model.tag_document(&doc));
}

/// The shipped model (committed in `models/`) loads and writes back the same bytes: a
/// version-1 file, since it holds no lexicon.
#[test]
fn the_shipped_model_file_still_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/ner-en.kmodel");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: the shipped model is committed: {e}", path.display()));
    assert_eq!(bytes[8..12], 1u32.to_le_bytes());
    let model = NerModel::from_bytes(&bytes, &path).unwrap();
    assert!(model.lexicon.is_empty());
    // Re-written unchanged: same bytes (no version bump without a lexicon).
    assert_eq!(model.to_bytes(), bytes);
}

#[test]
fn stacked_model_files_refuse_nesting_and_damage() {
    let (_, outer) = stacked_pair();
    let name = Path::new("models/stacked.kmodel");
    let with_stack_section = |bytes: Option<Vec<u8>>| {
        let mut file = outer.to_model_file();
        file.sections.retain(|(n, _)| n != "stack");
        if let Some(b) = bytes {
            file.sections
                .insert(file.sections.len() - 2, ("stack".into(), b));
        }
        file.to_bytes()
    };
    // Rebuilt unchanged: loads.
    assert!(NerModel::from_bytes(
        &with_stack_section(Some(outer.stacked().unwrap().to_bytes())),
        name
    )
    .is_ok());
    // An inner model that stacks a model itself: one level only.
    let err = NerModel::from_bytes(&with_stack_section(Some(outer.to_bytes())), name).unwrap_err();
    assert!(
        err.to_string().contains("only one level of stacking"),
        "{err}"
    );
    assert!(err.to_string().contains("models/stacked.kmodel"), "{err}");
    // So does training with one.
    let cfg = NerTrainConfig {
        stack: Some(Arc::new(outer.clone())),
        ..config()
    };
    assert!(cfg
        .check()
        .unwrap_err()
        .contains("only one level of stacking"));
    // A damaged inner model (outer checksum valid): an error naming the section, no panic.
    let inner = outer.stacked().unwrap().to_bytes();
    for cut in [
        0,
        7,
        12,
        40,
        inner.len() / 2,
        inner.len() - 9,
        inner.len() - 1,
    ] {
        let err = NerModel::from_bytes(&with_stack_section(Some(inner[..cut].to_vec())), name)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("models/stacked.kmodel (section `stack`)"),
            "cut {cut}: {err}"
        );
    }
    let mut flipped = inner.clone();
    let at = flipped.len() / 2;
    flipped[at] ^= 0x10;
    let err = NerModel::from_bytes(&with_stack_section(Some(flipped)), name).unwrap_err();
    assert!(matches!(err, ModelError::Corrupt { .. }), "{err}");
    // The switch without the section (or the reverse) is refused.
    let err = NerModel::from_bytes(&with_stack_section(None), name).unwrap_err();
    assert!(
        err.to_string().contains("section `stack` disagree"),
        "{err}"
    );
    let plain = NerModel::train(&corpus(), None, &config());
    let mut file = plain.to_model_file();
    file.sections.insert(0, ("stack".into(), inner));
    let err = NerModel::from_bytes(&file.to_bytes(), name).unwrap_err();
    assert!(
        err.to_string().contains("section `stack` disagree"),
        "{err}"
    );
}

/// Damaged copies of a section: its truncations (every `cut_step`-th length), then the
/// section with the byte at every 7th position set to 0x00, 0x7F or 0xFF.
fn damaged_versions(section: &[u8], cut_step: usize) -> impl Iterator<Item = Vec<u8>> + '_ {
    let cut = (0..section.len())
        .step_by(cut_step)
        .map(|end| section[..end].to_vec());
    let set = (0..section.len()).step_by(7).flat_map(move |i| {
        [0x00, 0x7F, 0xFF].map(|b| {
            let mut s = section.to_vec();
            s[i] = b;
            s
        })
    });
    cut.chain(set)
}

/// Whether a damaged file is refused; a refusal must name `section`, and a file that loads
/// must tag `doc` (two sentences) without a panic.
fn refused_naming(bytes: &[u8], name: &Path, section: &str, doc: &[Vec<&str>]) -> bool {
    match NerModel::from_bytes(bytes, name) {
        Ok(m) => {
            assert_eq!(m.tag_document(doc).len(), 2);
            false
        }
        Err(e) => {
            assert!(e.to_string().contains(section), "{e}");
            true
        }
    }
}

/// A stacked file whose inner model is damaged behind a valid checksum (so the damage
/// reaches the inner model's section readers, not only the checksum) is refused or read
/// as some other valid model, never a panic: every truncation of each inner section, and
/// bytes set to 0x00, 0x7F or 0xFF at every 7th position; the tagging of what loads does
/// not panic either.
#[test]
fn damaged_inner_sections_never_panic() {
    let (inner, outer) = stacked_pair();
    let name = Path::new("models/stacked.kmodel");
    let (refused, cases) = damage_nested(
        &outer.to_model_file(),
        "stack",
        &inner.to_model_file(),
        |_| 1,
        name,
        "(section `stack`)",
    );
    assert!(
        refused > 0 && refused < cases,
        "{refused} of {cases} refused"
    );
}

/// Puts each damaged version of each section of `nested` (every `step(section)`-th cut,
/// see `damaged_versions`) into the first section named `slot` of `outer`, and counts how
/// many of those files are refused naming `section` (the others must tag without a
/// panic): (refused, cases).
fn damage_nested(
    outer: &ModelFile,
    slot: &str,
    nested: &ModelFile,
    step: impl Fn(&str) -> usize,
    name: &Path,
    section: &str,
) -> (usize, usize) {
    let doc = vec![vec!["Brador", "came", "."], vec![]];
    let (mut refused, mut cases) = (0, 0);
    for (k, (section_name, bytes)) in nested.sections.iter().enumerate() {
        for damaged in damaged_versions(bytes, step(section_name)) {
            let mut damaged_nested = nested.clone();
            damaged_nested.sections[k].1 = damaged;
            let mut file = outer.clone();
            file.sections.iter_mut().find(|(n, _)| n == slot).unwrap().1 =
                damaged_nested.to_bytes();
            cases += 1;
            refused += refused_naming(&file.to_bytes(), name, section, &doc) as usize;
        }
    }
    (refused, cases)
}

#[test]
fn voting_model_files_refuse_nesting_and_damage() {
    let (first, others) = voting_members();
    let voting = first.clone().with_voters(others.clone()).unwrap();
    let name = Path::new("models/voting.kmodel");
    // A voter that votes itself: refused when built and when read.
    let err = first.clone().with_voters(vec![voting.clone()]).unwrap_err();
    assert!(err.contains("only one level of voting"), "{err}");
    let mut file = voting.to_model_file();
    file.sections
        .iter_mut()
        .filter(|(n, _)| n == "vote")
        .take(1)
        .for_each(|s| s.1 = voting.to_bytes());
    let err = NerModel::from_bytes(&file.to_bytes(), name).unwrap_err();
    assert!(
        err.to_string()
            .contains("models/voting.kmodel (section `vote` 1)")
            && err.to_string().contains("only one level of voting"),
        "{err}"
    );
    // A stacked model's inner model may not vote either.
    let (inner, _) = stacked_pair();
    let stacked = NerModel::train(
        &came_docs(&stack_names(false)),
        None,
        &NerTrainConfig {
            iterations: 2,
            stack: Some(inner),
            ..config()
        },
    );
    let mut file = stacked.to_model_file();
    file.sections
        .iter_mut()
        .filter(|(n, _)| n == "stack")
        .for_each(|s| s.1 = voting.to_bytes());
    let err = NerModel::from_bytes(&file.to_bytes(), name)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("models/voting.kmodel (section `stack`)")
            && err.contains("an inner model may not vote"),
        "{err}"
    );
    // Nor may training stack a voting model (its file would not load).
    let cfg = NerTrainConfig {
        stack: Some(Arc::new(voting.clone())),
        ..config()
    };
    assert!(cfg
        .check()
        .unwrap_err()
        .contains("an inner model may not vote"));
    // A member may stack, but its inner model may not stack again.
    let stacking_voter = first
        .clone()
        .with_voters(vec![stacked.clone(), others[0].clone()])
        .unwrap();
    let loaded = NerModel::from_bytes(&stacking_voter.to_bytes(), name).unwrap();
    assert!(loaded.voters()[0].stacked().is_some());
    let mut voter_file = stacked.to_model_file();
    voter_file
        .sections
        .iter_mut()
        .filter(|(n, _)| n == "stack")
        .for_each(|s| s.1 = stacked.to_bytes());
    let mut file = stacking_voter.to_model_file();
    file.sections
        .iter_mut()
        .filter(|(n, _)| n == "vote")
        .take(1)
        .for_each(|s| s.1 = voter_file.to_bytes());
    let err = NerModel::from_bytes(&file.to_bytes(), name)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("(section `vote` 1) (section `stack`)")
            && err.contains("only one level of stacking"),
        "{err}"
    );
    // The metadata's record of a member's data must match the member.
    let mut file = voting.to_model_file();
    file.meta["vote_data"][1] = serde_json::json!(["other data"]);
    let err = NerModel::from_bytes(&file.to_bytes(), name).unwrap_err();
    assert!(
        err.to_string()
            .contains("data of voting member 2 disagrees"),
        "{err}"
    );
    // A section missing, or one more than the metadata names.
    let mut file = voting.to_model_file();
    let at = file.sections.iter().position(|(n, _)| n == "vote").unwrap();
    let removed = file.sections.remove(at);
    let err = NerModel::from_bytes(&file.to_bytes(), name).unwrap_err();
    assert!(
        err.to_string()
            .contains("names 2 voting members but the file holds 1"),
        "{err}"
    );
    let mut file = first.to_model_file();
    file.sections.push(removed);
    let err = NerModel::from_bytes(&file.to_bytes(), name).unwrap_err();
    assert!(
        err.to_string()
            .contains("names 0 voting members but the file holds 1"),
        "{err}"
    );
    // A damaged member (outer checksum valid): an error naming the section, no panic.
    let member = others[1].to_bytes();
    for cut in [
        0,
        7,
        12,
        40,
        member.len() / 2,
        member.len() - 9,
        member.len() - 1,
    ] {
        let mut file = voting.to_model_file();
        file.sections
            .iter_mut()
            .filter(|(n, _)| n == "vote")
            .nth(1)
            .unwrap()
            .1 = member[..cut].to_vec();
        let err = NerModel::from_bytes(&file.to_bytes(), name).unwrap_err();
        assert!(
            err.to_string()
                .contains("models/voting.kmodel (section `vote` 2)"),
            "cut {cut}: {err}"
        );
    }
}

/// Members trained with the same tables (`keep_clusters`, as `kith train` sets for voting
/// configs) store them once: later members name the holder in section `same`, load
/// sharing it, and come back whole; a `same` section that names no earlier holder of the
/// table, or a table the member also holds, is refused.
#[test]
fn voting_members_store_shared_tables_once() {
    let tsv = tmp("vote-clusters.tsv");
    let lines = [
        "Berg\t1\t2\t3\t4",
        "Lind\t1\t2\t3\t5",
        "Quellford\t6\t7\t8\t9",
        "met\t10\t11\t12\t13",
    ];
    std::fs::write(&tsv, lines.join("\n") + "\n").unwrap();
    let clusters = Some(Arc::new(WordClusters::load(&tsv).unwrap()));
    let cfg = NerTrainConfig {
        clusters,
        keep_clusters: true,
        ..config()
    };
    let docs = corpus();
    let members: Vec<NerModel> = [1, 7, 3]
        .iter()
        .map(|&seed| {
            NerModel::train(
                &docs,
                None,
                &NerTrainConfig {
                    seed,
                    ..cfg.clone()
                },
            )
        })
        .collect();
    let voting = members[0]
        .clone()
        .with_voters(members[1..].to_vec())
        .unwrap();
    let name = Path::new("models/voting.kmodel");
    let file = voting.to_model_file();
    for (_, b) in file.sections.iter().filter(|(n, _)| n == "vote") {
        let member = ModelFile::from_bytes(b, name, None).unwrap();
        let sections: Vec<&str> = member.sections.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(sections[..2], ["same", "pass1.sparse"], "{sections:?}");
        assert!(!sections.contains(&"clusters16"));
    }
    let separate: usize = members.iter().map(|m| m.to_bytes().len()).sum();
    assert!(
        voting.to_bytes().len() * 2 < separate,
        "{} vs {separate}",
        voting.to_bytes().len()
    );
    let loaded = NerModel::from_bytes(&voting.to_bytes(), name).unwrap();
    for (voter, member) in loaded.voters().iter().zip(&members[1..]) {
        assert!(Arc::ptr_eq(
            voter.clusters.as_ref().unwrap(),
            loaded.clusters.as_ref().unwrap()
        ));
        assert!(Arc::ptr_eq(&voter.names, &loaded.names));
        assert_eq!(voter.to_bytes(), member.to_bytes());
    }
    // Damaged references: the outer checksum is recomputed, so the member's reader sees them.
    let with_same = |entries: &[(&str, u32)], extra: Option<(&str, Vec<u8>)>| {
        let mut file = voting.to_model_file();
        let vote = file.sections.iter_mut().find(|(n, _)| n == "vote").unwrap();
        let mut member = ModelFile::from_bytes(&vote.1, name, None).unwrap();
        let mut w = Writer::default();
        w.u32(entries.len() as u32);
        for (table, holder) in entries {
            w.str(table);
            w.u32(*holder);
        }
        member.sections[0].1 = w.buf;
        member
            .sections
            .extend(extra.map(|(n, b)| (n.to_string(), b)));
        vote.1 = member.to_bytes();
        NerModel::from_bytes(&file.to_bytes(), name)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    let names_bytes = file
        .sections
        .iter()
        .find(|(n, _)| n == "names")
        .unwrap()
        .1
        .clone();
    for (err, why) in [
        (
            with_same(&[("names", 1), ("clusters16", 0)], None),
            "refers to member 1, but only 1 precede",
        ),
        (
            with_same(&[("names", 0), ("names", 0)], None),
            "repeated table `names`",
        ),
        (
            with_same(&[("pass1", 0)], None),
            "unexpected or repeated table `pass1`",
        ),
        (
            with_same(
                &[("names", 0), ("clusters16", 0)],
                Some(("names", names_bytes)),
            ),
            "also a section of its own",
        ),
        // The older wide `clusters` section is a cluster table too: shared and held, it
        // would be parsed and silently ignored.
        (
            with_same(
                &[("names", 0), ("clusters16", 0)],
                Some(("clusters", vec![0; 8])),
            ),
            "`clusters16` is also a section",
        ),
    ] {
        assert!(
            err.contains("models/voting.kmodel (section `vote` 1)") && err.contains(why),
            "{why}: {err}"
        );
    }
    // A member naming a holder without clusters or lexicon (here: a file whose models
    // have neither): refused, not loaded without the table.
    let (first, others) = voting_members();
    let plain = first.with_voters(others).unwrap();
    for table in ["clusters16", "lexicon"] {
        let mut file = plain.to_model_file();
        let vote = file.sections.iter_mut().find(|(n, _)| n == "vote").unwrap();
        let mut member = ModelFile::from_bytes(&vote.1, name, None).unwrap();
        let mut w = Writer::default();
        w.u32(2);
        w.str("names");
        w.u32(0);
        w.str(table);
        w.u32(0);
        member.sections.retain(|(n, _)| n != "same");
        member.sections.insert(0, ("same".to_string(), w.buf));
        vote.1 = member.to_bytes();
        let err = NerModel::from_bytes(&file.to_bytes(), name)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("(section `vote` 1)")
                && err.contains(&format!("holds no section `{table}`")),
            "{err}"
        );
    }
}

/// The `vote` counterpart of `damaged_inner_sections_never_panic`: damage inside a voting
/// member (its own checksum and the outer one recomputed, so it reaches the member's
/// section readers, including its own `stack` section) is refused naming the member's
/// section, or read as some other valid model that tags without a panic.
#[test]
fn damaged_vote_sections_never_panic() {
    let (_, stacked) = stacked_pair();
    let plain = NerModel::train(
        &came_docs(&stack_names(false)),
        None,
        &NerTrainConfig {
            iterations: 2,
            ..config()
        },
    );
    // The first member stacks too, so the voter holds a `stack` section of its own.
    let voting = stacked
        .clone()
        .with_voters(vec![stacked.clone(), plain])
        .unwrap();
    let name = Path::new("models/voting.kmodel");
    // The member as the voting file stores it: tables in `same`, weights sparse.
    let stored = voting
        .to_model_file()
        .sections
        .into_iter()
        .find(|(n, _)| n == "vote")
        .unwrap()
        .1;
    let voter_file = ModelFile::from_bytes(&stored, name, None).unwrap();
    assert!(voter_file.sections.iter().any(|(n, _)| n == "same"));
    assert!(voter_file.sections.iter().any(|(n, _)| n == "pass1.sparse"));
    // The `stack` section is a whole file whose inner sections the stack test damages
    // already: here every 7th cut and byte suffice for it.
    let step = |section: &str| if section == "stack" { 7 } else { 1 };
    let (refused, cases) = damage_nested(
        &voting.to_model_file(),
        "vote",
        &voter_file,
        step,
        name,
        "models/voting.kmodel (section `vote` 1)",
    );
    assert!(
        refused > 0 && refused < cases,
        "{refused} of {cases} refused"
    );
}

/// A voting file as the version-4 code wrote it (members whole and dense, no `same`, no
/// sparse tables) still loads, to the same members and the same tags.
#[test]
fn voting_files_written_by_version_4_still_load() {
    let (first, others) = voting_members();
    let voting = first.with_voters(others.clone()).unwrap();
    // The old `to_model_file`: the model's own sections dense, then each member's file.
    let mut old = voting.own_file(false);
    for voter in voting.voters() {
        old.push_section("vote", voter.to_bytes());
    }
    let bytes = old.to_bytes();
    assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()), 4);
    assert!(old
        .sections
        .iter()
        .all(|(n, _)| n != "same" && !n.ends_with(".sparse")));
    let loaded = NerModel::from_bytes(&bytes, Path::new("old.kmodel")).unwrap();
    let back: Vec<Vec<u8>> = loaded.voters().iter().map(NerModel::to_bytes).collect();
    assert_eq!(
        back,
        others.iter().map(NerModel::to_bytes).collect::<Vec<_>>()
    );
    // Written again, it is the new layout, the same as the trained model's.
    assert_eq!(loaded.to_bytes(), voting.to_bytes());
    let doc = vec![vec![
        "Oskar",
        "Lind",
        "met",
        "Mira",
        "Tolvanen",
        "in",
        "Quellford",
        ".",
    ]];
    assert_eq!(loaded.tag_document(&doc), voting.tag_document(&doc));
}

/// Members trained with `f32` weights come back from a voting file as trained: the
/// sparse layout holds `i16` tables only, so such members must not be quantised on the
/// way (their tags and scores would differ from the trained ones').
#[test]
fn voting_members_with_f32_weights_come_back_as_trained() {
    let docs = corpus();
    let f32_config = |seed| NerTrainConfig {
        seed,
        weights: WeightsKind::F32,
        ..config()
    };
    let first = NerModel::train(&docs, None, &f32_config(1));
    let others = vec![
        NerModel::train(&docs, None, &f32_config(7)),
        NerModel::train(&docs, None, &f32_config(3)),
    ];
    assert_eq!(first.pass1.kind(), WeightsKind::F32);
    let voting = first.with_voters(others.clone()).unwrap();
    let loaded = NerModel::from_bytes(&voting.to_bytes(), Path::new("f32.kmodel")).unwrap();
    assert_eq!(loaded.pass1.kind(), WeightsKind::F32);
    // Each model's own sections, dense (the first one's metadata names its voters).
    let back: Vec<Vec<u8>> = std::iter::once(&loaded)
        .chain(loaded.voters())
        .map(|m| m.own_file(false).to_bytes())
        .collect();
    let trained: Vec<Vec<u8>> = std::iter::once(&voting)
        .chain(&others)
        .map(|m| m.own_file(false).to_bytes())
        .collect();
    assert_eq!(back, trained);
    assert_eq!(loaded.to_bytes(), voting.to_bytes());
}

/// A damaged sparse table is refused naming the file and the section; one whose class
/// count is not the NER label count is refused before its rows are decoded (an empty row
/// takes 2 bytes in the file but `classes` × 2 once decoded: 4096 classes would turn a
/// 1 MB section into ~800 MB).
#[test]
fn damaged_sparse_tables_are_refused_naming_the_section() {
    let (first, others) = voting_members();
    let voting = first.with_voters(others).unwrap();
    let name = Path::new("models/voting.kmodel");
    let replaced = |section: &str, bytes: Vec<u8>| {
        let mut file = voting.to_model_file();
        file.sections
            .iter_mut()
            .find(|(n, _)| n == section)
            .unwrap()
            .1 = bytes;
        NerModel::from_bytes(&file.to_bytes(), name)
            .map(|_| ())
            .unwrap_err()
            .to_string()
    };
    let mut wide = Writer::default();
    wide.u32(4096);
    wide.u32(1000);
    wide.f32(0.5);
    (0..1000u64).for_each(|k| wide.u64(k));
    (0..1000).for_each(|_| wide.u16(0));
    let err = replaced("pass1.sparse", wide.buf);
    assert!(
        err.contains("models/voting.kmodel") && err.contains("section `pass1.sparse`"),
        "{err}"
    );
    assert!(
        err.contains(&format!("4096 classes, expected {N_LABELS}")),
        "{err}"
    );
    let own = voting
        .to_model_file()
        .sections
        .into_iter()
        .find(|(n, _)| n == "pass1.sparse")
        .unwrap()
        .1;
    let err = replaced("pass1.sparse", own[..own.len() - 3].to_vec());
    assert!(
        err.contains("section `pass1.sparse`") && err.contains("truncated"),
        "{err}"
    );
    // A byte past the last row: a count read short would leave some, so they are refused.
    let err = replaced("pass1.sparse", [own.as_slice(), &[0]].concat());
    assert!(
        err.contains("section `pass1.sparse`") && err.contains("1 bytes after the table"),
        "{err}"
    );
    let err = replaced("names", vec![1, 2, 3]);
    assert!(
        err.contains("models/voting.kmodel") && err.contains("section `names`"),
        "{err}"
    );
}
