//! Readers on small invented fixtures, and the scorer on conlleval edge cases.

use kith_corpus::*;
use std::path::PathBuf;

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn tags(doc: &TaggedDocument) -> Vec<Vec<String>> {
    doc.sentences.iter().map(|s| s.tags.clone()).collect()
}

#[test]
fn conll2003_iob1_to_bio_and_docstart() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "eng.train",
        "-DOCSTART- -X- -X- O\n\nZorla NNP I-NP I-ORG\nmeets VBZ I-VP O\nAnna NNP I-NP I-PER\nVolk NNP I-NP I-PER\nB-team NNP I-NP B-PER\n. . O O\n\n-DOCSTART- -X- -X- O\n\nIn IN I-PP O\nKestria NNP I-NP I-LOC\nGerman JJ I-NP I-MISC\n\n",
    );
    let docs = read_conll2003(&p).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].sentences[0].words[0], "Zorla");
    assert_eq!(
        tags(&docs[0])[0],
        [
            "B-Organization",
            "O",
            "B-Person",
            "I-Person",
            "B-Person",
            "O"
        ]
    );
    assert_eq!(tags(&docs[1])[0], ["O", "B-Location", "B-Other"]);
}

#[test]
fn malformed_lines_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "bad.conll", "Anna B-PER\nVolk\n");
    let e = read_btc(&p).unwrap_err().to_string();
    assert!(
        e.ends_with("bad.conll:2: expected at least 2 columns (word ... tag), found 1"),
        "{e}"
    );
    let p = write(&dir, "bad2.conll", "Anna\tX-PER\n");
    let e = read_wnut17(&p).unwrap_err().to_string();
    assert!(e.contains("bad2.conll:1: bad tag `X-PER`"), "{e}");
    let p = write(&dir, "wa.conllu", "0\tAnna\tB-PER\nx\tVolk\tI-PER\n");
    let e = read_wikiann(&p).unwrap_err().to_string();
    assert!(
        e.contains("wa.conllu:2: token index `x` is not a number"),
        "{e}"
    );
    let p = write(&dir, "bin.conll", "Anna B-PER\n\u{0}\u{ff}");
    assert!(std::fs::write(&p, b"Anna B-PER\n\xff\xfe O\n").is_ok());
    let e = read_btc(&p).unwrap_err().to_string();
    assert!(e.contains("bin.conll:2: invalid UTF-8"), "{e}");
    let e = read_btc(&dir.path().join("missing"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing"), "{e}");
}

#[test]
fn wnut_btc_wikiann_wikigold_mappings() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "w.conll",
        "@x\tO\nZorlacorp\tB-corporation\nfans\tB-group\nlove\tO\nPhonix\tB-product\nSong\tB-creative-work\nof\tI-creative-work\nOslar\tB-location\nBo\tB-person\n\nnext\tO\n",
    );
    let docs = read_wnut17(&p).unwrap();
    assert_eq!(
        docs.len(),
        2,
        "one document per sentence without -DOCSTART-"
    );
    assert_eq!(
        tags(&docs[0])[0],
        [
            "O",
            "B-Organization",
            "B-Organization",
            "O",
            "B-Other",
            "B-Other",
            "I-Other",
            "B-Location",
            "B-Person"
        ]
    );
    let p = write(
        &dir,
        "wa.conllu",
        "0\tR.H.\tB-ORG\n1\tSaunders\tI-ORG\n2\t(\tO\n\n0\tTessa\tB-PER\n",
    );
    let docs = read_wikiann(&p).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(tags(&docs[0])[0], ["B-Organization", "I-Organization", "O"]);
    let p = write(
        &dir,
        "wg.txt",
        "Blue I-ORG\nOwls I-ORG\nplay O\nin O\nVarn I-LOC\n\n-DOCSTART- O\n\nHi O\n",
    );
    let docs = read_wikigold(&p).unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        tags(&docs[0])[0],
        ["B-Organization", "I-Organization", "O", "O", "B-Location"]
    );
    let raw = read_conll_raw(&p).unwrap();
    assert_eq!(tags(&raw[0])[0], ["B-ORG", "I-ORG", "O", "O", "B-LOC"]);
}

const GUM: &str = "# newdoc id = GUM_news_test
# sent_id = GUM_news_test-1
# text = The Kestrel Daughters of the Old Guard met in Varnholm, Ostria.
1\tThe\tthe\tDET\tDT\t_\t3\tdet\t_\tEntity=(1-organization-new-sssss-cf1-2,3-coref-Kestrel_DOG
2\tKestrel\tKestrel\tPROPN\tNNP\t_\t3\tcompound\t_\t_
3\tDaughters\tDaughters\tPROPN\tNNPS\t_\t8\tnsubj\t_\t_
4\tof\tof\tADP\tIN\t_\t7\tcase\t_\t_
5\tthe\tthe\tDET\tDT\t_\t7\tdet\t_\t_
6\tOld\tOld\tPROPN\tNNP\t_\t7\tcompound\t_\t_
7\tGuard\tGuard\tPROPN\tNNP\t_\t3\tnmod\t_\tEntity=1)
8\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\t_
9\tin\tin\tADP\tIN\t_\t10\tcase\t_\t_
10\tVarnholm\tVarnholm\tPROPN\tNNP\t_\t8\tobl\t_\tEntity=(2-place-new-sssss-cf2-1-coref(3-place-new-sssss-cf3-1-sgl)|SpaceAfter=No
11\t,\t,\tPUNCT\t,\t_\t12\tpunct\t_\t_
12\tOstria\tOstria\tPROPN\tNNP\t_\t10\tappos\t_\tEntity=(4-place-new-sssss-cf4-1-sgl)2)|SpaceAfter=No
13\t.\t.\tPUNCT\t.\t_\t8\tpunct\t_\t_

# sent_id = GUM_news_test-2
# text = She saw the big tree.
1\tShe\tshe\tPRON\tPRP\t_\t2\tnsubj\t_\tEntity=(5-person-new-sssss-cf5-1-coref-Someone)
2\tsaw\tsee\tVERB\tVBD\t_\t0\troot\t_\t_
3\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\tEntity=(6-plant-new-sssss-cf6-1-sgl
4\tbig\tbig\tADJ\tJJ\t_\t5\tamod\t_\t_
5\ttree\ttree\tNOUN\tNN\t_\t2\tobj\t_\tEntity=6)|SpaceAfter=No
6\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

";

#[test]
fn gum_named_mentions() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "GUM_news_test.conllu", GUM);
    let docs = read_gum_ner(&p).unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(
        tags(&docs[0])[0],
        [
            "O",
            "B-Organization",
            "I-Organization",
            "I-Organization",
            "I-Organization",
            "I-Organization",
            "I-Organization",
            "O",
            "O",
            "B-Location",
            "O",
            "B-Location",
            "O"
        ]
    );
    assert_eq!(
        tags(&docs[0])[1],
        ["O"; 6],
        "pronouns and common nouns are not names"
    );
    let pos = read_conllu_pos(&p).unwrap();
    assert_eq!(pos.len(), 2);
    assert_eq!(pos[0].upos[0], "DET");
    assert_eq!(pos[0].xpos[2], "NNPS");
}

/// Sentences written for this test: an event's edition belongs to its name, a person's
/// number does not.
const GUM_EVENTS: &str = "# newdoc id = GUM_news_events
# text = They ran in the London 2012 Olympics and the 3rd Nile Film Festival.
1\tThey\tthey\tPRON\tPRP\t_\t2\tnsubj\t_\tEntity=(1-person-new-sssss-cf1-1-sgl)
2\tran\trun\tVERB\tVBD\t_\t0\troot\t_\t_
3\tin\tin\tADP\tIN\t_\t7\tcase\t_\t_
4\tthe\tthe\tDET\tDT\t_\t7\tdet\t_\tEntity=(2-event-new-sssss-cf2-1-sgl
5\tLondon\tLondon\tPROPN\tNNP\t_\t7\tcompound\t_\tEntity=(3-place-new-sssss-cf3-1-sgl)
6\t2012\t2012\tNUM\tCD\t_\t7\tnummod\t_\t_
7\tOlympics\tOlympics\tPROPN\tNNPS\t_\t2\tobl\t_\tEntity=2)
8\tand\tand\tCCONJ\tCC\t_\t13\tcc\t_\t_
9\tthe\tthe\tDET\tDT\t_\t13\tdet\t_\tEntity=(4-event-new-sssss-cf4-1-sgl
10\t3rd\t3rd\tADJ\tJJ\t_\t13\tamod\t_\t_
11\tNile\tNile\tPROPN\tNNP\t_\t13\tcompound\t_\t_
12\tFilm\tFilm\tPROPN\tNNP\t_\t13\tcompound\t_\t_
13\tFestival\tFestival\tPROPN\tNNP\t_\t7\tconj\t_\tEntity=4)|SpaceAfter=No
14\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_

# text = Henry VIII met the 2012 winner Ann Lee.
1\tHenry\tHenry\tPROPN\tNNP\t_\t3\tnsubj\t_\tEntity=(5-person-new-sssss-cf5-1-sgl
2\tVIII\tVIII\tPROPN\tNNP\t_\t1\tflat\t_\tEntity=5)
3\tmet\tmeet\tVERB\tVBD\t_\t0\troot\t_\t_
4\tthe\tthe\tDET\tDT\t_\t8\tdet\t_\tEntity=(6-person-new-sssss-cf6-1-sgl
5\t2012\t2012\tNUM\tCD\t_\t6\tnummod\t_\t_
6\twinner\twinner\tNOUN\tNN\t_\t8\tcompound\t_\t_
7\tAnn\tAnn\tPROPN\tNNP\t_\t8\tflat\t_\t_
8\tLee\tLee\tPROPN\tNNP\t_\t3\tobj\t_\tEntity=6)|SpaceAfter=No
9\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

";

#[test]
fn gum_event_names_keep_their_edition() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "GUM_news_events.conllu", GUM_EVENTS);
    let docs = read_gum_ner(&p).unwrap();
    assert_eq!(
        tags(&docs[0])[0],
        [
            "O", "O", "O", "O", "B-Event", "I-Event", "I-Event", "O", "O", "B-Event", "I-Event",
            "I-Event", "I-Event", "O"
        ]
    );
    assert_eq!(
        tags(&docs[0])[1],
        ["B-Person", "I-Person", "O", "O", "O", "O", "B-Person", "I-Person", "O"]
    );
}

#[test]
fn gum_errors_and_genres() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "GUM_fiction_x.conllu",
        "1\tA\ta\tDET\tDT\t_\t0\troot\t_\tEntity=(1-person-new\n\n",
    );
    let e = read_gum_ner(&p).unwrap_err().to_string();
    assert!(
        e.contains("GUM_fiction_x.conllu:1: entity mention opened here is never closed"),
        "{e}"
    );
    let p = write(
        &dir,
        "GUM_reddit_y.conllu",
        "1\tA\ta\tDET\tDT\t_\t0\troot\t_\tEntity=2)\n\n",
    );
    let e = read_gum_ner(&p).unwrap_err().to_string();
    assert!(e.contains(":1: entity 2 closed but never opened"), "{e}");
    let p = write(&dir, "GUM_news_z.conllu", "1\tA\ta\tDET\n");
    let e = read_conllu_pos(&p).unwrap_err().to_string();
    assert!(
        e.contains("GUM_news_z.conllu:1: expected 10 tab-separated CoNLL-U columns, found 4"),
        "{e}"
    );
    write(&dir, "GUM_speech_w.conllu", "");
    let names = |f| -> Vec<String> {
        gum_files(dir.path(), f)
            .unwrap()
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    assert_eq!(names(GumFilter::Permissive), ["GUM_news_z.conllu"]);
    assert_eq!(
        names(GumFilter::AllUnmasked),
        [
            "GUM_fiction_x.conllu",
            "GUM_news_z.conllu",
            "GUM_speech_w.conllu"
        ]
    );
    assert_eq!(genre_licence("court"), GumLicence::Permissive);
    assert_eq!(genre_licence("vlog"), GumLicence::NonCommercial);
    assert_eq!(genre_licence("reddit"), GumLicence::Masked);
}

fn v(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

#[test]
fn conlleval_chunk_rules() {
    // I- without B- starts a chunk; a type change starts a new one; B- splits same type.
    let c = chunks(&v("I-PER I-PER O I-LOC I-ORG B-ORG I-ORG B-ORG"));
    let got: Vec<(usize, usize, &str)> = c
        .iter()
        .map(|c| (c.start, c.end, c.kind.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (0, 2, "PER"),
            (3, 4, "LOC"),
            (4, 5, "ORG"),
            (5, 7, "ORG"),
            (7, 8, "ORG")
        ]
    );
    // BILOU / BIOES.
    let c = chunks(&v("U-PER B-ORG L-ORG E-LOC S-LOC"));
    let got: Vec<(usize, usize, &str)> = c
        .iter()
        .map(|c| (c.start, c.end, c.kind.as_str()))
        .collect();
    assert_eq!(
        got,
        [(0, 1, "PER"), (1, 3, "ORG"), (3, 4, "LOC"), (4, 5, "LOC")]
    );
}

#[test]
fn entity_scores_exact_span_and_type() {
    let gold = vec![v("B-PER I-PER O B-LOC O B-ORG"), v("I-MISC O")];
    let pred = vec![v("B-PER O O B-ORG O B-ORG"), v("B-MISC O")];
    let s = score_entities(&gold, &pred);
    // Gold: PER(0,2) LOC(3) ORG(5) MISC(0). Pred: PER(0,1) ORG(3) ORG(5) MISC(0).
    assert_eq!(
        s.overall,
        Prf {
            correct: 2,
            predicted: 4,
            gold: 4
        }
    );
    assert_eq!(
        s.per_type["PER"],
        Prf {
            correct: 0,
            predicted: 1,
            gold: 1
        }
    );
    assert_eq!(
        s.per_type["ORG"],
        Prf {
            correct: 1,
            predicted: 2,
            gold: 1
        }
    );
    assert_eq!(
        s.per_type["LOC"],
        Prf {
            correct: 0,
            predicted: 0,
            gold: 1
        }
    );
    assert_eq!(
        s.per_type["MISC"],
        Prf {
            correct: 1,
            predicted: 1,
            gold: 1
        },
        "I-MISC at start equals B-MISC"
    );
    assert!((s.overall.f1() - 50.0).abs() < 1e-9);
    assert!((s.per_type["ORG"].precision() - 50.0).abs() < 1e-9);
    assert_eq!(s.per_type["LOC"].f1(), 0.0);
    let table = s.to_string();
    assert!(
        table.contains("overall") && table.contains("50.00"),
        "{table}"
    );
    // Type change inside a span: two chunks, neither matches a gold one-type span.
    let s = score_entities(&[v("B-PER I-PER")], &[v("B-PER I-ORG")]);
    assert_eq!(
        s.overall,
        Prf {
            correct: 0,
            predicted: 2,
            gold: 1
        }
    );
    // Nothing predicted, nothing gold.
    let s = score_entities(&[v("O O")], &[v("O O")]);
    assert_eq!(s.overall.f1(), 0.0);
    assert_eq!(s.token_accuracy(), 100.0);
}

#[test]
fn pos_accuracy() {
    let mut s = PosScores::default();
    s.add_sentence(
        &v("DET NOUN VERB"),
        &v("DT NN VBD"),
        &v("DET NOUN NOUN"),
        &v("DT NNS VBD"),
    );
    assert_eq!(
        (s.tokens, s.upos_correct, s.xpos_correct, s.both_correct),
        (3, 2, 2, 1)
    );
    assert!(s.to_string().contains("UPOS"));
}

#[test]
fn whitespace_only_tokens_tagged_o_are_skipped() {
    // As in btc/f.conll:16301-16302.
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "ws.conll", "Anna\tB-PER\n \tO\n\tO\nsmiles\tO\n");
    let docs = read_btc(&p).unwrap();
    assert_eq!(docs[0].sentences[0].words, ["Anna", "smiles"]);
    let p = write(&dir, "ws2.conll", "Anna\tB-PER\n\tI-PER\n");
    let e = read_btc(&p).unwrap_err().to_string();
    assert!(e.contains("ws2.conll:2: empty word"), "{e}");
}

#[test]
fn wikigold_misc_events_become_events() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "wg.txt", "after I-MISC\nWorld I-MISC\nWar I-MISC\nII I-MISC\nand O\nBattle I-MISC\nof I-MISC\nAntietam I-MISC\n, O\nEnglish I-MISC\nfans O\n");
    // `after` is (wrongly) inside the first chunk here: the rule looks at the last word.
    let docs = read_wikigold(&p).unwrap();
    assert_eq!(
        tags(&docs[0])[0],
        [
            "B-Other", "I-Other", "I-Other", "I-Other", "O", "B-Event", "I-Event", "I-Event", "O",
            "B-Other", "O"
        ]
    );
    assert!(misc_is_event(&["Stanley", "Cup"]));
    assert!(!misc_is_event(&["English"]));
}

#[test]
fn conllu_trees_skip_multiword_tokens_and_empty_nodes() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# sent_id = 1\n\
        1\tShe\tshe\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
        2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
        2\two\twill\tAUX\tMD\t_\t4\taux\t_\t_\n\
        3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
        3.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t4:conj\t_\n\
        4\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n\
        5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\
        \n\
        1\tWas\tbe\tAUX\tVBD\t_\t2\taux:pass\t_\t_\n\
        2\tseen\tsee\tVERB\tVBN\t_\t0\troot\t_\t_\n";
    let p = write(&dir, "t.conllu", text);
    let trees = read_conllu_trees(&p).unwrap();
    assert_eq!(trees.len(), 2);
    let t = &trees[0];
    assert_eq!(t.words, ["She", "wo", "n't", "go", "."]);
    assert_eq!(t.heads, [Some(3), Some(3), Some(3), None, Some(3)]);
    assert_eq!(t.labels, ["nsubj", "aux", "advmod", "root", "punct"]);
    assert_eq!(t.upos[1], "AUX");
    assert_eq!(t.xpos[1], "MD");
    assert_eq!(trees[1].labels, ["aux:pass", "root"]);
}

/// The English Web Treebank writes contractions as multi-word tokens (`2-3 won't`) and
/// elided predicates as empty nodes (`3.1`); POS reading keeps the syntactic words only, as
/// the tree reader does, so tags and trees line up word for word.
#[test]
fn conllu_pos_skips_multiword_tokens_and_empty_nodes() {
    let dir = tempfile::tempdir().unwrap();
    let text = "# sent_id = weblog-1\n\
        1\tShe\tshe\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
        2-3\twon't\t_\t_\t_\t_\t_\t_\t_\t_\n\
        2\two\twill\tAUX\tMD\t_\t4\taux\t_\t_\n\
        3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n\
        3.1\tgo\tgo\tVERB\tVB\t_\t_\t_\t4:conj\t_\n\
        4\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n\
        \n";
    let p = write(&dir, "ewt.conllu", text);
    let pos = read_conllu_pos(&p).unwrap();
    assert_eq!(pos.len(), 1);
    assert_eq!(pos[0].words, ["She", "wo", "n't", "go"]);
    assert_eq!(pos[0].upos, ["PRON", "AUX", "PART", "VERB"]);
    assert_eq!(pos[0].xpos, ["PRP", "MD", "RB", "VB"]);
    let trees = read_conllu_trees(&p).unwrap();
    assert_eq!(trees[0].words, pos[0].words);
}

#[test]
fn conllu_tree_errors_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "1\tA\ta\tDET\tDT\t_\t9\tdet\t_\t_\n\n",
            ":1: head 9 is outside the sentence of 1 words",
        ),
        (
            "1\tA\ta\tDET\tDT\t_\t0\troot\t_\t_\n2\tB\tb\tNOUN\tNN\t_\tx\tdet\t_\t_\n",
            ":2: head `x` is not a number",
        ),
        ("1\tA\ta\tDET\tDT\t_\t_\t_\t_\t_\n", ":1: no head"),
        ("1\tA\ta\tDET\tDT\t_\t0\t_\t_\t_\n", ":1: no relation"),
        (
            "1\tA\ta\tDET\tDT\t_\t1\tdep\t_\t_\n",
            ":1: word is its own head",
        ),
        (
            "1\tA\ta\tDET\tDT\t_\t0\troot\t_\t_\n3\tB\tb\tNOUN\tNN\t_\t1\tdep\t_\t_\n",
            ":2: token id 3 out of sequence",
        ),
        (
            "1\tA\ta\tDET\n",
            ":1: expected 10 tab-separated CoNLL-U columns, found 4",
        ),
    ];
    for (text, want) in cases {
        let p = write(&dir, "bad.conllu", text);
        let e = read_conllu_trees(&p).unwrap_err().to_string();
        assert!(e.contains(&format!("bad.conllu{want}")), "{e}");
    }
}

#[test]
fn attachment_scores_skip_punctuation() {
    let mut s = DepScores::default();
    let upos = ["PRON", "VERB", "PUNCT"];
    let gold = [Some(1), None, Some(1)];
    let labels = ["nsubj", "root", "punct"];
    // Right head, wrong relation on word 0; punctuation wrong but not scored.
    s.add_sentence(
        &upos,
        &gold,
        &labels,
        &[Some(1), None, Some(0)],
        &["obj", "root", "punct"],
    );
    assert_eq!(
        (s.words, s.head_correct, s.labeled_correct, s.exact),
        (2, 2, 1, 0)
    );
    assert!((s.uas() - 100.0).abs() < 1e-9 && (s.las() - 50.0).abs() < 1e-9);
}
