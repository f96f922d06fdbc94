// Handlers of NurseryService. Every input is checked before use: a handler must answer with
// an error, never bring the server down.
const cds = require('@sap/cds')

const isInt = (v) => Number.isInteger(v) || (typeof v === 'string' && /^-?\d+$/.test(v))

module.exports = class NurseryService extends cds.ApplicationService {
  init() {
    const { Plants, Suppliers } = this.entities

    this.on('water', Plants, async (req) => {
      const times = req.data?.times ?? 1
      if (!isInt(times) || Number(times) < 1 || Number(times) > 100)
        return req.reject(400, 'times must be an integer from 1 to 100')
      const plant = await SELECT.one.from(req.subject)
      if (!plant) return req.reject(404, 'no such plant')
      await UPDATE(req.subject).with({ timesWatered: (plant.timesWatered ?? 0) + Number(times) })
      return SELECT.one.from(req.subject)
    })

    this.on('priceWithTax', Plants, async (req) => {
      const rate = Number(req.data?.rate)
      if (req.data?.rate == null || !Number.isFinite(rate) || rate < 0)
        return req.reject(400, 'rate must be a non-negative number')
      const plant = await SELECT.one.from(req.subject).columns('price')
      if (!plant) return req.reject(404, 'no such plant')
      if (plant.price == null) return null
      const cents = Math.round(Number(plant.price) * (100 + rate))
      return cents / 100
    })

    this.on('supplierIn', async (req) => {
      const city = req.data?.city
      if (typeof city !== 'string') return req.reject(400, 'city is required')
      const found = await SELECT.one.from(Suppliers).where({ city }).orderBy('ID')
      return found ?? null
    })

    this.on('meanRating', async (req) => {
      const city = req.data?.city
      if (typeof city !== 'string') return req.reject(400, 'city is required')
      const rated = (await SELECT.from(Suppliers).columns('rating').where({ city })).filter((s) => s.rating != null)
      if (rated.length === 0) return null
      return rated.reduce((sum, s) => sum + Number(s.rating), 0) / rated.length
    })

    this.on('restock', async (req) => {
      const { supplier, quantity } = req.data ?? {}
      if (!isInt(supplier) || !isInt(quantity))
        return req.reject(400, 'supplier and quantity must be integers')
      const plants = await SELECT.from(Plants).columns('ID', 'stock').where({ supplier_ID: Number(supplier) })
      for (const p of plants ?? [])
        await UPDATE(Plants, p.ID).with({ stock: (p.stock ?? 0) + Number(quantity) })
      return (plants ?? []).length
    })

    return super.init()
  }
}
