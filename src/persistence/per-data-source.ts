import type { DataSource } from 'typeorm';

/** One value per data source, made on its first use and dropped with the data source. */
export function perDataSource<T>(create: (dataSource: DataSource) => T): (dataSource: DataSource) => T {
  const values = new WeakMap<DataSource, T>();
  return (dataSource) => {
    let value = values.get(dataSource);
    if (value === undefined) {
      value = create(dataSource);
      values.set(dataSource, value);
    }
    return value;
  };
}
