//! Reader and writer tests on hand-written PLY files.

use super::*;
use std::path::Path;

fn parse(bytes: &[u8]) -> Result<Ply, crate::SceneError> {
    parse_ply_bytes(Path::new("dir/t.ply"), bytes)
}

fn err(bytes: &[u8]) -> String {
    parse(bytes).unwrap_err().to_string()
}

fn scalars(ply: &Ply, element: &str, name: &str) -> Vec<f64> {
    ply.element(element).unwrap().scalar(name).unwrap().to_f64()
}

const ALL_TYPES: &str = "ply
format ascii 1.0
comment every scalar type
obj_info made by hand
element thing 2
property char a
property uchar b
property short c
property ushort d
property int e
property uint f
property float g
property double h
property int8 i
property uint8 j
property int16 k
property uint16 l
property int32 m
property uint32 n
property float32 o
property float64 p
property list ushort double q
property list int int8 r
end_header
-128 255 -32768 65535 -2147483648 4294967295 0.1 0.1 1 2 3 4 5 6 7.5 8.25 2 1.5 2.5 0
127 0 32767 0 2147483647 0 -1e3 1e300 -1 2 -3 4 -5 6 -7.5 -8.25 0 3 -1 0 1
";

#[test]
fn ascii_reads_every_scalar_type_and_lists() {
    let ply = parse(ALL_TYPES.as_bytes()).unwrap();
    assert_eq!(ply.header.comments, ["every scalar type"]);
    assert_eq!(ply.header.obj_info, ["made by hand"]);
    assert_eq!(scalars(&ply, "thing", "a"), [-128.0, 127.0]);
    assert_eq!(scalars(&ply, "thing", "f"), [4294967295.0, 0.0]);
    // `float` values are rounded to f32, `double` values are not.
    assert_eq!(scalars(&ply, "thing", "g")[0], f64::from(0.1f32));
    assert_eq!(scalars(&ply, "thing", "h"), [0.1, 1e300]);
    let (q, _) = ply.element("thing").unwrap().property("q").unwrap();
    assert_eq!(q.list(0), Some(vec![1.5, 2.5]));
    assert_eq!(q.list(1), Some(vec![]));
    let (r, _) = ply.element("thing").unwrap().property("r").unwrap();
    assert_eq!(r.list(0), Some(vec![]));
    assert_eq!(r.list(1), Some(vec![-1.0, 0.0, 1.0]));
}

#[test]
fn every_encoding_round_trips_every_type() {
    let ascii = parse(ALL_TYPES.as_bytes()).unwrap();
    for encoding in [
        PlyEncoding::Ascii,
        PlyEncoding::BinaryLittleEndian,
        PlyEncoding::BinaryBigEndian,
    ] {
        let mut ply = ascii.clone();
        ply.header.encoding = encoding;
        let bytes = write_ply_bytes(Path::new("w.ply"), &ply).unwrap();
        let back = parse(&bytes).unwrap();
        assert_eq!(back, ply, "{encoding:?}");
    }
}

#[test]
fn unknown_elements_are_read_and_skipped() {
    let text = "ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\n\
                element material 3\nproperty uchar id\nproperty list uchar float w\n\
                element face 1\nproperty list uchar int vertex_indices\nend_header\n\
                1.5\n2.5\n0 2 0.5 0.5\n1 0\n2 3 1 2 3\n3 0 1 1\n";
    let ply = parse(text.as_bytes()).unwrap();
    assert_eq!(scalars(&ply, "vertex", "x"), [1.5, 2.5]);
    assert_eq!(scalars(&ply, "material", "id"), [0.0, 1.0, 2.0]);
    let (faces, _) = ply
        .element("face")
        .unwrap()
        .property("vertex_indices")
        .unwrap();
    assert_eq!(faces.list(0), Some(vec![0.0, 1.0, 1.0]));

    // The same file in binary: the reader must step over the material lists exactly.
    let mut binary = ply.clone();
    binary.header.encoding = PlyEncoding::BinaryLittleEndian;
    let bytes = write_ply_bytes(Path::new("w.ply"), &binary).unwrap();
    assert_eq!(parse(&bytes).unwrap(), binary);
}

fn binary_faces(count: u32, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\n\
         element face {count}\nproperty list uchar int vertex_indices\nend_header\n"
    )
    .into_bytes();
    bytes.extend_from_slice(&1.0f32.to_le_bytes());
    bytes.extend_from_slice(body);
    bytes
}

#[test]
fn truncated_binary_names_the_element_and_index() {
    // Two faces `3 0 0 0` (uchar count, int indices): 13 bytes each.
    let face: Vec<u8> = [3u8].into_iter().chain([0u8; 12]).collect();
    let body = face.repeat(2);
    let full = binary_faces(3, &body);
    let text = err(&full);
    assert!(
        text.contains("dir/t.ply") && text.contains("element `face` [2]"),
        "{text}"
    );
    assert!(text.contains("truncated"), "{text}");
    // Cut inside face 1's list.
    let text = err(&binary_faces(2, &body[..20]));
    assert!(
        text.contains("element `face` [1]") && text.contains("truncated"),
        "{text}"
    );
    // Cut inside the fixed-size vertex element.
    let mut cut = binary_faces(0, &[]);
    cut.truncate(cut.len() - 1);
    let text = err(&cut);
    assert!(
        text.contains("element `vertex` [0]") && text.contains("truncated"),
        "{text}"
    );
}

#[test]
fn negative_and_absurd_list_counts_are_errors() {
    let header = "ply\nformat binary_big_endian 1.0\nelement face 1\n";
    let mut negative = format!("{header}property list char int v\nend_header\n").into_bytes();
    negative.push(0xff); // -1
    let text = err(&negative);
    assert!(
        text.contains("element `face` [0]") && text.contains("negative count -1"),
        "{text}"
    );

    let mut absurd = format!("{header}property list uint int v\nend_header\n").into_bytes();
    absurd.extend_from_slice(&4_000_000_000u32.to_be_bytes());
    absurd.extend_from_slice(&[0; 8]);
    let text = err(&absurd);
    assert!(
        text.contains("element `face` [0]") && text.contains("absurd"),
        "{text}"
    );

    let ascii = "ply\nformat ascii 1.0\nelement face 1\nproperty list int int v\nend_header\n";
    let text = err(format!("{ascii}-2 1 2\n").as_bytes());
    assert!(
        text.contains("element `face` [0]") && text.contains("negative count"),
        "{text}"
    );
    let text = err(format!("{ascii}99999999 1 2\n").as_bytes());
    assert!(
        text.contains("element `face` [0]") && text.contains("absurd"),
        "{text}"
    );
    let text = err(format!("{ascii}4 1 2\n").as_bytes());
    assert!(
        text.contains("element `face` [0]") && text.contains("item 2"),
        "{text}"
    );
}

#[test]
fn ascii_errors_name_the_element_index_and_line() {
    let header = "ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty uchar red\nend_header\n";
    let text = err(format!("{header}1 2\n3 4\n5 6\n").as_bytes());
    assert!(
        text.contains("element `vertex` [2]") && text.contains("line 9: more lines"),
        "{text}"
    );
    let text = err(format!("{header}1 2\n").as_bytes());
    assert!(
        text.contains("element `vertex` [1]") && text.contains("fewer lines"),
        "{text}"
    );
    let text = err(format!("{header}1 2\n1.5x 4\n").as_bytes());
    assert!(
        text.contains("element `vertex` [1]") && text.contains("line 8"),
        "{text}"
    );
    assert!(
        text.contains("`1.5x` is not a valid float (property `x`)"),
        "{text}"
    );
    let text = err(format!("{header}1 256\n1 2\n").as_bytes());
    assert!(
        text.contains("element `vertex` [0]") && text.contains("`256` is not a valid uchar"),
        "{text}"
    );
    let text = err(format!("{header}1\n1 2\n").as_bytes());
    assert!(
        text.contains("element `vertex` [0]") && text.contains("fewer values"),
        "{text}"
    );
    let text = err(format!("{header}1 2 3\n1 2\n").as_bytes());
    assert!(
        text.contains("element `vertex` [0]") && text.contains("extra `3`"),
        "{text}"
    );
    // Blank lines, CRLF and trailing whitespace are fine; an integral float spelling too.
    let ply = parse(format!("{header}\r\n1 2\r\n\n 3 4.0 \r\n  \n\t\n").as_bytes()).unwrap();
    assert_eq!(scalars(&ply, "vertex", "red"), [2.0, 4.0]);
}

#[test]
fn trailing_bytes_after_binary_data_must_be_whitespace() {
    let ok = binary_faces(0, b"\n \r\n");
    assert!(parse(&ok).is_ok());
    let text = err(&binary_faces(0, b"junk"));
    assert!(
        text.contains("element `face` [0]") && text.contains("4 bytes of data after"),
        "{text}"
    );
}

#[test]
fn huge_declared_counts_neither_allocate_nor_hang() {
    // A property-less element of 2^64-1 rows holds no data at all.
    let text =
        "ply\nformat binary_little_endian 1.0\nelement nothing 18446744073709551615\nend_header\n";
    let ply = parse(text.as_bytes()).unwrap();
    assert_eq!(ply.elements[0].def.count, u64::MAX);
    for format in ["ascii", "binary_little_endian"] {
        let text = format!(
            "ply\nformat {format} 1.0\nelement vertex 18446744073709551615\nproperty double x\n\
             element face 9000000000000000000\nproperty list uchar int vertex_indices\nend_header\n1\n"
        );
        let message = err(text.as_bytes());
        let says_short = message.contains("truncated") || message.contains("fewer lines");
        assert!(
            message.contains("element `vertex` [") && says_short,
            "{message}"
        );
    }
}

#[test]
fn writer_rejects_columns_that_do_not_fit() {
    let mut ply = parse(ALL_TYPES.as_bytes()).unwrap();
    // Property `b` is a uchar: a column of another type is refused.
    ply.elements[0].columns[1] = PropertyData::Scalar(ScalarColumn::I32(vec![1, 300]));
    let text = write_ply_bytes(Path::new("w.ply"), &ply)
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("w.ply") && text.contains("element `thing`") && text.contains("`b`"),
        "{text}"
    );
    ply.elements[0].columns.pop();
    let text = write_ply_bytes(Path::new("w.ply"), &ply)
        .unwrap_err()
        .to_string();
    assert!(text.contains("columns"), "{text}");

    // A list longer than its count type holds is refused, naming the row.
    let mut long = parse(ALL_TYPES.as_bytes()).unwrap();
    long.elements[0].def.properties[17].kind = PropertyKind::List {
        count: ScalarType::I8,
        item: ScalarType::I8,
    };
    long.elements[0].columns[17] = PropertyData::List {
        offsets: vec![0, 0, 200],
        values: ScalarColumn::I8(vec![1; 200]),
    };
    let text = write_ply_bytes(Path::new("w.ply"), &long)
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("element `thing` [1]") && text.contains("200 items"),
        "{text}"
    );
}
