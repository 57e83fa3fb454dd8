//! The app's processes and their memory, from /proc: the app (found by its executable) and
//! every process under it (WebKitWebProcess, WebKitNetworkProcess, any other WebKit helper).

/// One process's memory, in kB, from `/proc/<pid>/smaps_rollup`.
#[derive(Debug, Default, Clone, Copy)]
pub struct Memory {
    /// Resident set: every page mapped in, shared ones counted whole.
    pub rss: u64,
    /// Proportional set: each shared page divided by the number of processes mapping it.
    pub pss: u64,
    /// The part of `pss` that is anonymous memory (heaps, JS heaps, GPU buffers in software).
    pub pss_anon: u64,
    /// The part of `pss` that is mapped files (libraries, the memory-mapped register).
    pub pss_file: u64,
    /// Anonymous memory resident, shared or not.
    pub anon: u64,
}

impl Memory {
    /// The memory of `pid`, or `None` when it has gone.
    pub fn of(pid: u32) -> Option<Memory> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
        let mut m = Memory::default();
        for line in text.lines() {
            let mut parts = line.split_whitespace();
            let (Some(key), Some(kb)) = (parts.next(), parts.next()) else {
                continue;
            };
            let kb: u64 = kb.parse().unwrap_or(0);
            match key {
                "Rss:" => m.rss = kb,
                "Pss:" => m.pss = kb,
                "Pss_Anon:" => m.pss_anon = kb,
                "Pss_File:" => m.pss_file = kb,
                "Anonymous:" => m.anon = kb,
                _ => {}
            }
        }
        Some(m)
    }

    /// The sum of two processes' figures.
    pub fn add(self, o: Memory) -> Memory {
        Memory {
            rss: self.rss + o.rss,
            pss: self.pss + o.pss,
            pss_anon: self.pss_anon + o.pss_anon,
            pss_file: self.pss_file + o.pss_file,
            anon: self.anon + o.anon,
        }
    }
}

/// The running app's process id (the process whose executable is this build's app).
pub fn app_pid() -> Option<u32> {
    let bin = env!("CARGO_BIN_EXE_asset-register");
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|e| {
        let pid: u32 = e.file_name().to_string_lossy().parse().ok()?;
        let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok()?;
        (exe.to_string_lossy() == bin).then_some(pid)
    })
}

/// `root` and all its descendants, as (pid, name), `root` first.
pub fn process_tree(root: u32) -> Vec<(u32, String)> {
    let mut procs = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let name = stat[open + 1..close].to_string();
        let ppid: u32 = stat[close + 2..]
            .split(' ')
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        procs.push((pid, ppid, name));
    }
    let mut tree = vec![(root, String::new())];
    let mut i = 0;
    while i < tree.len() {
        let p = tree[i].0;
        tree.extend(
            procs
                .iter()
                .filter(|x| x.1 == p)
                .map(|x| (x.0, x.2.clone())),
        );
        i += 1;
    }
    if let Some(me) = procs.iter().find(|x| x.0 == root) {
        tree[0].1 = me.2.clone();
    }
    tree
}

/// Each process of the app's tree with its memory, the app first.
pub fn app_memory() -> Vec<(u32, String, Memory)> {
    let Some(root) = app_pid() else {
        return Vec::new();
    };
    process_tree(root)
        .into_iter()
        .filter_map(|(pid, name)| Memory::of(pid).map(|m| (pid, name, m)))
        .collect()
}

/// WebKit processes (and other copies of the app) running outside the app's tree: they share
/// libraries with it, which lowers its PSS, so a figure taken beside them reads low.
pub fn other_webkit_processes() -> Vec<String> {
    let ours: Vec<u32> = app_pid()
        .map(|p| process_tree(p).into_iter().map(|x| x.0).collect())
        .unwrap_or_default();
    let mut others = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(name) = std::fs::read_to_string(format!("/proc/{pid}/comm")) else {
            continue;
        };
        let name = name.trim();
        // WebKitWebDriver is the harness's own, and maps none of WebKit's libraries.
        let webkit = name.starts_with("WebKit") && name != "WebKitWebDriver";
        if !ours.contains(&pid) && (webkit || name == "asset-register") {
            others.push(format!("{name} {pid}"));
        }
    }
    others
}
