//! Arrow IPC framing of result tables: a schema message alone, and one batch per message.

use arrow::datatypes::{Schema, SchemaRef};
use arrow::error::ArrowError;
use arrow::ipc::reader::StreamReader;
use arrow::ipc::writer::StreamWriter;
use arrow::record_batch::RecordBatch;

/// Encodes a schema as an Arrow IPC stream with no batches.
pub fn encode_schema(schema: &Schema) -> Result<Vec<u8>, ArrowError> {
    let mut w = StreamWriter::try_new(Vec::new(), schema)?;
    w.finish()?;
    w.into_inner()
}

/// Encodes one batch as a self-contained Arrow IPC stream.
pub fn encode_batch(batch: &RecordBatch) -> Result<Vec<u8>, ArrowError> {
    let mut w = StreamWriter::try_new(Vec::new(), &batch.schema())?;
    w.write(batch)?;
    w.finish()?;
    w.into_inner()
}

/// Decodes what [`encode_schema`] produced.
pub fn decode_schema(bytes: &[u8]) -> Result<SchemaRef, ArrowError> {
    Ok(StreamReader::try_new(bytes, None)?.schema())
}

/// Decodes what [`encode_batch`] produced (every batch in the stream).
pub fn decode_batches(bytes: &[u8]) -> Result<Vec<RecordBatch>, ArrowError> {
    StreamReader::try_new(bytes, None)?.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Int64Array, StringArray};
    use arrow::datatypes::{DataType, Field};
    use std::sync::Arc;

    #[test]
    fn round_trips_schema_and_batches() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("a", DataType::Int64, false),
            Field::new("b", DataType::Utf8, false),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Int64Array::from(vec![1, 2])),
                Arc::new(StringArray::from(vec!["x", "y"])),
            ],
        )
        .expect("batch");
        assert_eq!(
            decode_schema(&encode_schema(&schema).expect("enc")).expect("dec"),
            schema
        );
        assert_eq!(
            decode_batches(&encode_batch(&batch).expect("enc")).expect("dec"),
            vec![batch]
        );
        assert!(decode_batches(b"not arrow").is_err());
    }
}
