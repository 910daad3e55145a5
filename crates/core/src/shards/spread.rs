//! Which data worker reads which file: about the same bytes each, and files that look like
//! copies of one another (the same name in two folders, or a `.json` beside its `.json.gz`) to
//! the same worker, whose own dedupe then finds their duplicate events.

use std::collections::HashMap;

/// A file's name without its folders and the extensions a copy may add or drop (`.gz`,
/// `.json`), lowercased: CloudTrail names every delivered file uniquely, so two files of one name
/// are almost always the same delivery.
fn stem(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_ascii_lowercase();
    let mut s = name.as_str();
    for ext in [".gz", ".json"] {
        s = s.strip_suffix(ext).unwrap_or(s);
    }
    s.to_owned()
}

/// For each of `of` workers, the indices (ascending) of the files it reads, of files `paths`
/// of sizes `sizes`. Groups of one stem go whole, largest group first, each to the worker with
/// the fewest bytes so far (the lowest index on a tie), so the spread depends only on the names
/// and sizes.
pub fn spread(paths: &[String], sizes: &[u64], of: usize) -> Vec<Vec<usize>> {
    let of = of.max(1);
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in paths.iter().enumerate() {
        groups.entry(stem(p)).or_default().push(i);
    }
    let size = |i: &usize| sizes.get(*i).copied().unwrap_or(0);
    let mut groups: Vec<(u64, Vec<usize>)> =
        groups.into_values().map(|g| (g.iter().map(size).sum(), g)).collect();
    // Largest first; ties by first index, so the result does not depend on hashing.
    groups.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.first().cmp(&b.1.first())));
    let mut load = vec![0u64; of];
    let mut out = vec![Vec::new(); of];
    for (bytes, files) in groups {
        let least = (0..of).min_by_key(|&w| (load.get(w).copied().unwrap_or(0), w)).unwrap_or(0);
        if let (Some(l), Some(o)) = (load.get_mut(least), out.get_mut(least)) {
            *l += bytes;
            o.extend(files);
        }
    }
    out.iter_mut().for_each(|o| o.sort_unstable());
    out
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_file_goes_to_one_worker_and_the_bytes_balance() {
        let paths: Vec<String> = (0..100).map(|i| format!("d/{i}.json.gz")).collect();
        let sizes: Vec<u64> = (0..100).map(|i| 1000 + (i * 37 % 101)).collect();
        let out = spread(&paths, &sizes, 3);
        let mut all: Vec<usize> = out.concat();
        all.sort_unstable();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
        let bytes: Vec<u64> = out.iter().map(|o| o.iter().map(|&i| sizes[i]).sum()).collect();
        let (lo, hi) = (bytes.iter().min().unwrap_or(&0), bytes.iter().max().unwrap_or(&0));
        assert!(hi - lo <= 1100, "{bytes:?}");
    }

    #[test]
    fn copies_of_a_file_go_to_the_same_worker() {
        let paths =
            names(&["a/x_CloudTrail_1.json.gz", "b/x_CloudTrail_1.json", "c/y.json", "d/z.json"]);
        let out = spread(&paths, &[10, 30, 25, 25], 2);
        let with_0 = out.iter().find(|o| o.contains(&0)).cloned().unwrap_or_default();
        assert!(with_0.contains(&1), "{out:?}");
        assert_eq!(out.iter().map(Vec::len).sum::<usize>(), 4);
    }

    #[test]
    fn one_worker_reads_everything_in_order() {
        let paths = names(&["b", "a", "c"]);
        assert_eq!(spread(&paths, &[1, 2, 3], 1), vec![vec![0, 1, 2]]);
    }
}
