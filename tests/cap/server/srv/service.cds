using { nursery } from '../db/schema';

/** Served at /odata/v4/nursery/ (and /odata/v2/nursery/ through the V2 adapter). */
@path: 'nursery'
service NurseryService {
  entity Plants as projection on nursery.Plants actions {
    /** Waters the plant: increments timesWatered; returns the plant. */
    action water(times : Integer) returns Plants;
    /** The price with a tax rate in percent added, rounded to cents. */
    function priceWithTax(rate : Decimal(5, 2)) returns Decimal(9, 2);
  };
  entity Suppliers as projection on nursery.Suppliers;
  entity CareNotes as projection on nursery.CareNotes;
  @readonly entity Readings as projection on nursery.Readings;

  /** The first supplier (by ID) in a city; nothing (204) when there is none. */
  function supplierIn(city : String) returns Suppliers;
  /** The mean rating of the suppliers in a city (null when none is rated). */
  function meanRating(city : String) returns Double;
  /** Adds to the stock of every plant of a supplier; returns how many plants changed. */
  action restock(supplier : Integer, quantity : Integer) returns Integer;
}
