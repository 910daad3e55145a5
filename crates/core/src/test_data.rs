//! Sample CloudTrail events and container builders shared by the reader's and the store's tests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::io::Write;

pub(crate) const EV1: &str = r#"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDA1","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIA1","userName":"alice"},"eventTime":"2024-01-02T03:04:05Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":"aws-cli/2","requestParameters":{"bucketName":"b","key":"<script>alert(1)</script>"},"responseElements":null,"eventID":"id-1","readOnly":true,"eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#;

pub(crate) const EV2: &str = r#"{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/Admin/bob","accountId":"111122223333","sessionContext":{"sessionIssuer":{"userName":"Admin"}}},"eventTime":"2024-01-02T03:05:05Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.1","errorCode":"AccessDenied","eventID":"id-2","readOnly":false,"eventType":"AwsApiCall"}"#;

/// A Records file of `evs`.
pub(crate) fn records(evs: &[&str]) -> String {
    format!("{{\"Records\":[{}]}}", evs.join(","))
}

pub(crate) fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub(crate) fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}
