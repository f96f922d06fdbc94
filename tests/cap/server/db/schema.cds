// A plant nursery: what the end-to-end tests of tests/cap read and write.
using { cuid, managed } from '@sap/cds/common';

namespace nursery;

/** How a plant grows: an enum-like string type. */
type Habit : String(10) enum { tree; shrub; herb; climber; }

/** Care instructions, a structured (complex) value. */
type Care {
  wateringDays : Integer;
  light        : String(20);
}

/** A pot size and its price: items of a collection of structured values. */
type Pot {
  litres : Decimal(5, 1);
  price  : Decimal(9, 2);
}

/** A plant for sale: UUID key, ETag on the managed modification timestamp. */
entity Plants : cuid, managed {
  name       : String(100) not null;
  habit      : Habit default 'shrub';
  price      : Decimal(9, 2);
  stock      : Integer default 0;
  barcode    : Int64;
  sownOn     : Date;
  tags       : many String(30);
  care       : Care;
  pots       : many Pot;
  timesWatered : Integer default 0;
  supplier   : Association to Suppliers;
  notes      : Composition of many CareNotes on notes.plant = $self;
}
annotate Plants with {
  modifiedAt @odata.etag;
}

/** A supplier: Integer key; numbers V2 JSON writes as strings (Double, UInt8) or not (Int16). */
entity Suppliers {
  key ID     : Integer;
  name       : String(100);
  city       : String(60);
  rating     : Double;
  shelf      : UInt8;
  floor      : Int16;
  plants     : Association to many Plants on plants.supplier = $self;
}

/** Notes composed into a plant (deleted with it). */
entity CareNotes : cuid {
  plant      : Association to Plants;
  text       : String(200);
  writtenOn  : Date;
}

/** Sensor readings: 1,500 rows, more than one server page (CAP pages at 1,000). */
entity Readings {
  key ID     : Integer;
  sensor     : String(20);
  celsius    : Decimal(5, 1);
}
