//! An interrupted run leaves no temporary files behind.
//!
//! Every file Kith writes goes through a temporary file and a rename (`.kith-XXXXXX.tmp`
//! for graphs and exports, `.NAME.tmpPID` for models). The temporary file is removed when
//! its writer is dropped, but SIGINT (Ctrl-C) and SIGTERM end the process without
//! unwinding, so a build stopped while writing its graph left the half-written file in the
//! output folder. The handler installed here removes, before the process exits, the
//! temporary files this process has open, found through `/proc/self/fd`: nothing to
//! register in the writers, and the files of another Kith writing in the same folder are
//! left alone. The previous graph is never touched (the rename had not happened).

use std::path::Path;

/// Exit status after an interrupt: 128 + SIGINT, as a shell reports a Ctrl-C.
const INTERRUPTED: i32 = 130;

/// Installs the SIGINT and SIGTERM handler; a failure to install leaves the default
/// behaviour (the process ends, possibly leaving a temporary file).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        remove_own_temp_files();
        eprintln!("kith: interrupted; nothing written");
        std::process::exit(INTERRUPTED);
    });
}

/// Removes the Kith temporary files this process has open; returns how many. Only on
/// Linux (`/proc/self/fd`); elsewhere it removes nothing.
pub fn remove_own_temp_files() -> usize {
    let Ok(fds) = std::fs::read_dir("/proc/self/fd") else {
        return 0;
    };
    fds.flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter(|target| is_temp_file(target) && std::fs::remove_file(target).is_ok())
        .count()
}

/// Whether `path` is named as Kith names its temporary files: `.kith-PID-XXXXXX.tmp`
/// (`kith_graph::file::write_atomically`) or `.NAME.tmpPID` for this process's id (model
/// files).
fn is_temp_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    (name.starts_with(".kith-") && name.ends_with(".tmp"))
        || (name.starts_with('.') && name.ends_with(&format!(".tmp{}", std::process::id())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files removed are exactly the temporary files this process holds open: one
    /// closed (another process's, say) and an open file of another name stay.
    #[cfg(target_os = "linux")]
    #[test]
    fn removes_only_the_temporary_files_this_process_has_open() {
        let dir = tempfile::tempdir().unwrap();
        let open = tempfile::Builder::new()
            .prefix(".kith-")
            .suffix(".tmp")
            .tempfile_in(dir.path())
            .unwrap();
        let model_tmp = dir
            .path()
            .join(format!(".pos.kmodel.tmp{}", std::process::id()));
        let model_file = std::fs::File::create(&model_tmp).unwrap();
        let closed = dir.path().join(".kith-other1.tmp");
        std::fs::write(&closed, "another run's").unwrap();
        let graph = dir.path().join("graph.json");
        let graph_file = std::fs::File::create(&graph).unwrap();

        assert_eq!(remove_own_temp_files(), 2);
        assert!(!open.path().exists());
        assert!(!model_tmp.exists());
        assert!(closed.exists() && graph.exists());
        drop((model_file, graph_file));
    }

    #[test]
    fn temporary_names() {
        assert!(is_temp_file(Path::new("out/.kith-a1B2c3.tmp")));
        let pid = std::process::id();
        assert!(is_temp_file(Path::new(&format!("m/.ner.kmodel.tmp{pid}"))));
        assert!(!is_temp_file(Path::new(&format!(
            "m/.ner.kmodel.tmp{}",
            pid + 1
        ))));
        assert!(!is_temp_file(Path::new("out/kith-a.tmp")));
        assert!(!is_temp_file(Path::new("out/graph.json")));
    }
}
