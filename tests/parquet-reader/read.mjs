// Prints a Parquet file as JSON, read by hyparquet (an independent implementation of the format), so the Softspot
// tests can compare what they wrote with what another reader sees. Usage: node read.mjs FILE.parquet
// Output: {rows, rowGroups, createdBy, metadata: {key: value}, columns: [{name, type, repetition, codecs, values}]}
// with every DOUBLE as the 16 hex digits of its IEEE 754 bits (NaN as "NaN": JavaScript does not keep NaN
// payloads), every INT64 as a decimal string, strings as strings and nulls as null.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'

const path = process.argv[2]
if (!path) {
  console.error('usage: node read.mjs FILE.parquet')
  process.exit(2)
}
const file = await asyncBufferFromFile(path)
const metadata = await parquetMetadataAsync(file)
const rows = await parquetReadObjects({ file, metadata })

const view = new DataView(new ArrayBuffer(8))
function cell(v) {
  if (v === null || v === undefined) return null
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN'
    view.setFloat64(0, v, true)
    return view.getBigUint64(0, true).toString(16).padStart(16, '0')
  }
  return v
}

const leaves = metadata.schema.slice(1)
const columns = leaves.map((element, k) => ({
  name: element.name,
  type: element.type,
  repetition: element.repetition_type,
  codecs: metadata.row_groups.map(g => g.columns[k].meta_data.codec),
  values: rows.map(row => cell(row[element.name])),
}))
const kv = Object.fromEntries((metadata.key_value_metadata ?? []).map(({ key, value }) => [key, value]))
console.log(JSON.stringify({
  rows: Number(metadata.num_rows),
  rowGroups: metadata.row_groups.length,
  createdBy: metadata.created_by,
  metadata: kv,
  columns,
}))
