// DuckDB for the Softspot tests, an independent engine that writes and reads Parquet.
// Usage: node duckdb.mjs run "SQL; SQL; ..."   runs the statements (COPY ... TO 'f.parquet' (FORMAT parquet, ...))
//        node duckdb.mjs read FILE.parquet      prints the table as JSON: {columns: [{name, type, values}], encodings, codecs}
// In "read", BIGINT and narrower integers print as decimal strings (type INT64), DOUBLE as the 16 hex digits of its
// IEEE 754 bits (NaN as "NaN"), VARCHAR as is (type BYTE_ARRAY), nulls as null: the form of the hyparquet reader.
import { DuckDBInstance } from '@duckdb/node-api'

const [mode, arg] = process.argv.slice(2)
if (!mode || !arg) {
  console.error('usage: node duckdb.mjs run SQL | node duckdb.mjs read FILE.parquet')
  process.exit(2)
}
const instance = await DuckDBInstance.create(':memory:')
const connection = await instance.connect()
if (mode === 'run') {
  await connection.run(arg)
  console.log('{}')
} else {
  const file = arg.replaceAll("'", "''")
  const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`)
  const names = reader.columnNames()
  const types = reader.columnTypes().map(t => t.toString())
  const rows = reader.getRows()
  const view = new DataView(new ArrayBuffer(8))
  const cell = (v, type) => {
    if (v === null || v === undefined) return null
    if (type === 'DOUBLE' || type === 'FLOAT') {
      if (Number.isNaN(v)) return 'NaN'
      view.setFloat64(0, v, true)
      return view.getBigUint64(0, true).toString(16).padStart(16, '0')
    }
    return typeof v === 'string' ? v : v.toString()
  }
  const typeName = t => ['BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'UBIGINT', 'UINTEGER', 'USMALLINT', 'UTINYINT'].includes(t) ? 'INT64'
    : t === 'VARCHAR' ? 'BYTE_ARRAY' : t === 'FLOAT' ? 'DOUBLE' : t
  const meta = (await connection.runAndReadAll(
    `SELECT DISTINCT encodings, compression FROM parquet_metadata('${file}')`)).getRows()
  console.log(JSON.stringify({
    columns: names.map((name, k) => ({ name, type: typeName(types[k]), values: rows.map(r => cell(r[k], types[k])) })),
    encodings: [...new Set(meta.map(r => String(r[0])))],
    codecs: [...new Set(meta.map(r => String(r[1])))],
  }))
}
